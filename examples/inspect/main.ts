/**
 * Inspection example (`npx tsx examples/inspect/main.ts`): prints every event on
 * `broker.inspect$` (the stream a devtools panel or a logger would consume) while a renderer
 * in a worker thread makes a few calls and closes.
 */
import { createBroker, type InspectEvent } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';

/** The exposed service (its type is shared with the renderer). */
function createNotes() {
  const items: string[] = [];
  return {
    add: async (text: string) => items.push(text),
    count: () => items.length,
    remove: (i: number) => {
      if (!items[i]) throw new RangeError(`no note ${i}`);
      items.splice(i, 1);
    },
  };
}
export type Notes = ReturnType<typeof createNotes>;

const broker = createBroker();
broker.exposeModule('notes', createNotes, { mailbox: { mode: 'serial' }, supervision: { strategy: 'resume' } });

let t0: number | undefined;
const row = (e: InspectEvent): string => {
  t0 ??= e.at;
  const cols = [
    `+${(e.at - t0).toFixed(2).padStart(7)} ms`,
    e.kind.padEnd(15),
    (e.session ?? '').padEnd(4),
    (e.actor ?? '').padEnd(13),
    e.id === undefined ? '    ' : `#${String(e.id).padEnd(3)}`,
    (e.op ?? '').padEnd(8),
    e.ms === undefined ? '' : `${e.ms.toFixed(3)} ms`,
    e.detail ?? '',
  ];
  return cols.join(' ').trimEnd();
};
console.log('remora inspect$: every event while a renderer makes a few calls\n');
console.log('  time         kind            sess actor         id   op       duration / detail');
const sub = broker.inspect$.subscribe((e) => console.log(`  ${row(e)}`));

const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
broker.connect(workerTransport(worker));
await new Promise<void>((resolve, reject) => {
  worker.once('message', () => resolve());
  worker.once('error', reject);
});
await new Promise((r) => setTimeout(r, 50)); // let the session close arrive
await worker.terminate();
sub.unsubscribe();
