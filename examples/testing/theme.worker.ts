/**
 * The renderer side in a real worker thread: runs the app's renderer code (theme.ts) against
 * main over the worker transport, and reports what it saw to the test through the port.
 */
import { parentPort } from 'node:worker_threads';
import { firstValueFrom, take, toArray } from 'rxjs';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import { themeClass, toggleTheme } from './theme.js';

const client = connect(await connectToMain());
const classes = firstValueFrom((await themeClass(client)).pipe(take(2), toArray()));
const toggled = await toggleTheme(client);
parentPort!.postMessage({ toggled, classes: await classes });
