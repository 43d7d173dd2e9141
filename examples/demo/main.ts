/**
 * The main demo (`npm run demo`): a renderer in a worker thread uses main's objects through
 * remora, and this process narrates what happens on both sides.
 */
import { createBroker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { createDemoApi } from './api.js';

const log = (who: 'main' | 'renderer', line: string): void => console.log(`${who === 'main' ? '  main    ' : '  renderer'} | ${line}`);
const tables = (): string => {
  const s = broker.stats();
  return `sessions=${s.sessions} refs=${s.refs} callbacks=${s.callbacks} listeners=${s.listeners} subscriptions=${s.subscriptions} pending=${s.pending}`;
};
const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

console.log('remora demo: a renderer (worker thread) calls into main through supervised actors\n');
const broker = createBroker();
broker.exposeModule('demo', createDemoApi);
log('main', "exposed module 'demo' (everything else is denied by default)");

const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
const session = broker.connect(workerTransport(worker), { kind: 'worker' });
log('main', `renderer connected as session ${session.id}`);

let refsBeforeGc = 0;
const finished = new Promise<void>((resolve, reject) => {
  worker.on('error', reject);
  worker.on('message', async (m: { say?: string; step?: string }) => {
    if (m.say) log('renderer', m.say);
    if (!m.step) return;
    switch (m.step) {
      case 'before-gc':
        log('main', `tables: ${tables()}`);
        break;
      case 'handles-created':
        refsBeforeGc = broker.stats().refs;
        log('main', `tables: refs=${refsBeforeGc} (main keeps every counter alive while a handle may exist)`);
        break;
      case 'gc-done':
        await waitFor(() => broker.stats().refs < refsBeforeGc - 900);
        log('main', `tables: refs=${broker.stats().refs} after the renderer's batched release (was ${refsBeforeGc})`);
        break;
      case 'done':
        worker.postMessage('ok');
        log('main', 'terminating the renderer (as a page reload or crash would)...');
        await worker.terminate();
        await waitFor(() => broker.stats().sessions === 0);
        log('main', `session closed (${session.closeReason?.kind}); tables: ${tables()}`);
        resolve();
        return;
    }
    worker.postMessage('ok');
  });
});
await finished;
console.log('\ndone: nothing leaked, nothing threw in main.');
