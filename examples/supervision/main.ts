/**
 * Supervision example (`npx tsx examples/supervision/main.ts`): a crashing service is
 * restarted (with backoff) while a renderer in a worker thread keeps calling it; a hung call
 * hits the actor's deadline; when the service keeps crashing past its restart intensity the
 * supervisor stops it, and later calls become dead letters with a typed error.
 */
import { createBroker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { createQuoteService, type QuoteService } from './service.js';

const broker = createBroker();
broker.exposeModule('quotes', createQuoteService, {
  mailbox: { mode: 'concurrent', maxConcurrent: 4, capacity: 20, deadlineMs: 300 },
  supervision: {
    strategy: 'restart',
    maxRestarts: 4,
    withinMs: 10_000,
    backoff: { minMs: 60, factor: 2, maxMs: 500, jitter: 0.2 },
    dispose: (instance, why) => (instance as QuoteService).close(why),
  },
});

let start = performance.now();
const stamp = (): string => `${String(Math.round(performance.now() - start)).padStart(5)} ms`;
broker.inspect$.subscribe((e) => {
  if (e.kind === 'restarting') console.log(`  main     | ${stamp()} supervisor: restarting ${e.actor} in ${e.ms} ms after "${e.detail}"`);
  else if (e.kind === 'restarted') console.log(`  main     | ${stamp()} supervisor: ${e.actor} is running again (waiting calls now run)`);
  else if (e.kind === 'timeout') console.log(`  main     | ${stamp()} deadline: request #${e.id} of ${e.session} still running after ${e.ms} ms, failed with E_TIMEOUT`);
  else if (e.kind === 'escalated') console.log(`  main     | ${stamp()} supervisor: restart intensity exceeded, ${e.actor} escalated ${e.detail}`);
  else if (e.kind === 'stopped') console.log(`  main     | ${stamp()} supervisor: ${e.actor} stopped`);
});
let deadLetters = 0;
broker.deadLetters$.subscribe((d) => {
  deadLetters++;
  console.log(`  main     | ${stamp()} dead letter: ${d.op} request #${d.id} from ${d.session} to ${d.actor} (${d.reason})`);
});

console.log('remora supervision: a renderer keeps calling a service that keeps crashing\n');
const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
broker.connect(workerTransport(worker));
start = performance.now();

let ok = 0;
let failed = 0;
await new Promise<void>((resolve, reject) => {
  worker.on('error', reject);
  worker.on('message', (m: { line?: string; failed?: boolean; done?: boolean }) => {
    if (m.line) {
      console.log(`  renderer | ${stamp()} ${m.line}`);
      if (m.failed) failed++;
      else ok++;
    }
    if (m.done) resolve();
  });
});
await worker.terminate();
console.log(`\ndone: ${ok} calls answered, ${failed} failed with a typed error, ${deadLetters} dead letters; main never threw.`);
