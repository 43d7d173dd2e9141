/** The renderer: a few calls (one of them fails), then it closes its connection. */
import { parentPort } from 'node:worker_threads';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { Notes } from './main.js';

const client = connect(await connectToMain(), { name: 'notes-window' });
const notes = await client.require<Notes>('notes');
await notes.add('buy milk');
await Promise.all([notes.add('call mum'), notes.count()]);
try {
  await notes.remove(42); // throws on main: shows up as `failed`
} catch {
  // expected
}
client.close();
parentPort!.postMessage('done');
