/**
 * State actors (`actors/state-actor.ts`): bytes on the wire per update as immer patches
 * against a full snapshot, for a state of 10 000 items; and actions applied and replicated
 * per second, from a renderer's replica (`connectState`) over worker_threads, each awaited
 * and 100 in flight (patches of one tick travel as one update).
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';
import { measureUpdate } from '../../actors/state-actor.js';
import { initialTodos, makeTodos, STATE_ITEMS } from '../state-api.js';

/** Run the state case. */
export async function runState(ctx: BenchContext): Promise<CaseResult[]> {
  const state = initialTodos();
  const { patchBytes, snapshotBytes } = measureUpdate(state, (d) => {
    d.items[STATE_ITEMS / 2]!.done = true;
  });
  const todos = makeTodos();
  const s = await start(ctx.workersDir, 'remora', undefined, (b) => {
    todos.expose(b, 'todos');
  });
  try {
    // Every action copies the 10 000-item array (immer), so runs stay short.
    const seqN = 30;
    const burstN = 300;
    const inflight = 100;
    const rounds = Math.min(ctx.rounds, 7);
    ctx.log(`state: ${seqN} awaited toggles, ${burstN} toggles ${inflight} in flight; ${rounds} rounds`);
    const samples = await interleaved([
      { name: 'awaited', run: async () => (await s.worker.ask<{ ups: number }>({ cmd: 'state', n: seqN, inflight: 1 })).ups },
      { name: 'burst', run: async () => (await s.worker.ask<{ ups: number }>({ cmd: 'state', n: burstN, inflight })).ups },
    ] satisfies Contender[], rounds, 1);
    const rows: Row[] = [
      { impl: `full snapshot, ${STATE_ITEMS} items`, value: snapshotBytes, unit: 'B', better: 'lower', baseline: true },
      { impl: 'patch update (one item toggled)', value: patchBytes, unit: 'B', better: 'lower' },
      { impl: 'dispatch from a replica, each awaited', value: median(samples[0]!), unit: 'updates/s', better: 'higher', samples: samples[0]! },
      { impl: `dispatch from a replica, ${inflight} in flight`, value: median(samples[1]!), unit: 'updates/s', better: 'higher', samples: samples[1]! },
    ];
    return [{
      id: 'state', title: 'State actor: patches vs snapshots, updates/s', rows,
      checks: [{ label: 'patch bytes / snapshot bytes', measured: patchBytes / snapshotBytes, unit: 'x', target: '< 0.01x', pass: patchBytes / snapshotBytes < 0.01 }],
      notes: [
        'Bytes: the `next` frame a session sends for the update, JSON-serialized (measureUpdate from actors/state-actor.ts).',
        'Updates/s: `toggle` actions dispatched from a renderer replica over worker_threads; a dispatch settles once main applied it and the replica has the patch.',
      ],
    }];
  } finally {
    await s.stop();
  }
}
