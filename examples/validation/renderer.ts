/** A page calling the notes API (runs in a worker thread): good calls, bad calls, and one a compromised page would try. */
import { parentPort } from 'node:worker_threads';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { NotesApi } from './api.js';

const client = connect(await connectToMain());
const notes = client.require<NotesApi>('notes');

async function attempt(fn: () => PromiseLike<unknown>): Promise<string> {
  try {
    return JSON.stringify(await fn());
  } catch (e) {
    return (e as { code: string }).code;
  }
}

const report = {
  save: await attempt(() => notes.save('groceries', 'milk, eggs')), // { id, bytes }: no path
  traversal: await attempt(() => notes.save('../../etc/passwd', 'x')), // E_BAD_ARGS
  // A compromised page ignores the types: a non-string id.
  notAString: await attempt(() => (notes.read as (id: unknown) => PromiseLike<unknown>)({ id: 'groceries' })), // E_BAD_ARGS: an object where the schema wants a string
  read: await attempt(() => notes.read('groceries')),
};
client.close();
parentPort!.postMessage(report);
