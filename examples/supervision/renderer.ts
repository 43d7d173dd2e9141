/**
 * The renderer: keeps calling the quote service every 40 ms through the same handle, without
 * waiting for earlier calls, and reports every outcome to main.
 */
import { parentPort } from 'node:worker_threads';
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { QuoteService } from './service.js';

const client = connect(await connectToMain(), { name: 'quotes-window' });
const quotes = await client.require<QuoteService>('quotes');

const CALLS = 26;
const pending: PromiseLike<void>[] = [];
for (let n = 1; n <= CALLS; n++) {
  pending.push(
    quotes.quote(n).then(
      (q) => parentPort!.postMessage({ line: `call ${String(n).padStart(2)} -> ${q.price} (incarnation #${q.incarnation}, its call ${q.served})` }),
      (e: { code?: string; message: string }) => parentPort!.postMessage({ line: `call ${String(n).padStart(2)} -> ${e.code}: ${e.message}`, failed: true }),
    ),
  );
  await new Promise((r) => setTimeout(r, 40));
}
await Promise.all(pending);
parentPort!.postMessage({ done: true });
