/** The README's usage example, renderer side (runs in a worker thread). */
import { parentPort } from 'node:worker_threads';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { Api } from './api.js';

const client = connect(await connectToMain());
const api = await client.require<Api>('api'); // Remote<Api>, typed from main's type
console.log(await api.add(1, 2)); // 3, async
const counter = await new api.Counter(10); // constructed in main, a handle here
console.log(await api.makeCounter(1).increment()); // pipelined: one round trip
console.log(client.remote.require<Api>('api').add(2, 2)); // 4, synchronously, like remote
console.log(await counter.increment(5)); // 15
counter[Symbol.dispose](); // or let GC release it
parentPort!.postMessage('done');
