/**
 * One renderer of the shared-list example (a worker thread standing in for a window). It
 * holds a replica of main's list, renders it on every change, and edits it when main's
 * script says so.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connect, connectState } from 'remora/renderer';
import { connectToMain } from 'remora/transports/worker';
import type { SharedList } from './list-state.js';

const me = String(workerData?.name ?? 'renderer');
const say = (line: string): void => parentPort!.postMessage({ say: line });

const client = connect(await connectToMain(), { name: me });
const list = await connectState<SharedList>(client, 'list');
say(`connected: snapshot v${list.version} with ${list.state!.entries.length} entries`);

// "Render" whenever the list changes; select() only emits when the rendered text changes.
list
  .select((s) => `${s.title}: ${s.entries.map((e) => `${e.done ? '[x]' : '[ ]'} ${e.text} (${e.by})`).join(', ') || '(empty)'}`)
  .subscribe({ next: (text) => say(`render v${list.version}: ${text}`), error: () => undefined });

const steps: Record<string, () => Promise<unknown>> = {
  async 'add-items'() {
    await list.dispatch('add', 'milk', me);
    await list.dispatch('add', 'bread', me);
  },
  async 'toggle-first'() {
    const first = list.state!.entries[0]!;
    const before = list.state!;
    await list.dispatch('toggle', first.id);
    const after = list.state!;
    say(`toggled #${first.id}; untouched entry #${before.entries[1]!.id} kept its identity: ${before.entries[1] === after.entries[1]}`);
    await list.dispatch('add', 'eggs', me);
  },
  async 'bad-input'() {
    const anyDispatch = list.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
    for (const [name, ...args] of [['paint', 'red'], ['add', '', me], ['remove', 999]] as [string, ...unknown[]][]) {
      try {
        await anyDispatch(name, ...args);
      } catch (e) {
        const err = e as { code: string; remoraCode: string; message: string };
        say(`${name}(${args.map((a) => JSON.stringify(a)).join(', ')}) -> ${err.remoraCode}: ${err.message}`);
      }
    }
    say(`state still at v${list.version}`);
  },
  async 'burst'() {
    // Five actions in one tick travel as one message and come back as one update.
    const updatesBefore = list.stats.updates;
    await Promise.all(['apples', 'pears', 'plums', 'figs', 'kiwis'].map((t) => list.dispatch('add', t, me)));
    say(`5 adds in one tick -> ${list.stats.updates - updatesBefore} update(s) applied here`);
  },
  async report() {
    return { version: list.version, state: list.state, stats: list.stats };
  },
};

/** Resolves once this replica has caught up with `version` (main says where it is). */
const reach = (version: number): Promise<unknown> =>
  list.version >= version ? Promise.resolve() : new Promise((resolve) => {
    const sub = list.changes$.subscribe((c) => c.version >= version && (sub.unsubscribe(), resolve(c)));
  });

parentPort!.on('message', async (m: { step?: string; version?: number }) => {
  if (!m?.step) return;
  await reach(m.version ?? 0); // another renderer's edits may still be on their way here
  const result = await steps[m.step]!();
  parentPort!.postMessage({ done: m.step, result });
});
parentPort!.postMessage({ ready: me });
