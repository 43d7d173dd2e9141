/**
 * Shared list (`npx tsx examples/shared-list/main.ts`): main owns a list in a state actor;
 * two renderers (worker threads) hold live replicas and edit it. Updates travel as immer
 * patches, one per tick; each renderer's dispatch settles once its own replica has the result.
 */
import type { Worker } from 'node:worker_threads';
import { createBroker } from 'remora/main';
import { measureUpdate } from 'remora/actors/state-actor';
import { workerTransport } from 'remora/transports/worker';
import { startWorkerRenderer } from '../support/worker-renderer.js';
import { createSharedList } from './list-state.js';

const broker = createBroker();
const list = createSharedList();
list.expose(broker, 'list');
console.log('main     | exposed state actor "list" (v0, empty)\n');

async function startRenderer(name: string): Promise<Worker> {
  const w = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url), { workerData: { name } });
  w.on('message', (m: { say?: string }) => m.say && console.log(`${name.padEnd(8)} | ${m.say}`));
  broker.connect(workerTransport(w), { name });
  await new Promise<void>((resolve) => w.on('message', (m: { ready?: string }) => m.ready && resolve()));
  return w;
}

const step = (w: Worker, name: string): Promise<any> =>
  new Promise((resolve) => {
    const on = (m: { done?: string; result?: unknown }): void => {
      if (m.done !== name) return;
      w.off('message', on);
      resolve(m.result);
    };
    w.on('message', on);
    w.postMessage({ step: name, version: list.version });
  });

const alice = await startRenderer('alice');
const bob = await startRenderer('bob');

await step(alice, 'add-items');
await step(bob, 'toggle-first');
await list.dispatch('retitle', 'Groceries (shared)');
console.log('main     | retitled the list from main (through the same mailbox)');
await step(alice, 'bad-input');
await step(bob, 'burst');

const [a, b] = [await step(alice, 'report'), await step(bob, 'report')];
const same = JSON.stringify(a.state) === JSON.stringify(list.state) && JSON.stringify(b.state) === JSON.stringify(list.state);
console.log(`\nmain     | main v${list.version}; alice v${a.version}; bob v${b.version}; replicas equal main: ${same}`);
console.log(`main     | alice received ${a.stats.snapshots} snapshot + ${a.stats.updates} patch updates (${a.stats.resyncs} resyncs)`);

// What patches save on the wire: one field of a 10 000-entry list.
const big = { nextId: 10_001, title: 'big', entries: Array.from({ length: 10_000 }, (_, i) => ({ id: i + 1, text: `entry ${i + 1}`, done: false, by: 'main' })) };
const m = measureUpdate(big, (d) => {
  d.entries[4_999]!.done = true;
});
console.log(`main     | one toggle in a 10k-entry list: ${m.patchBytes} bytes as a patch vs ${m.snapshotBytes} bytes as a snapshot`);

await alice.terminate();
await bob.terminate();
const end = Date.now() + 5000;
while (list.subscriberCount > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
console.log(`main     | renderers gone; open state subscriptions: ${list.subscriberCount}`);
