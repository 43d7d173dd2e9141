/**
 * Sync call round trip: remora's compatibility mode (`remote.require('api').add(a, b)`, the
 * worker blocks on Atomics.wait) against three raw floors and synckit.
 *
 * Main never blocks, so a sync call must wake main's event loop with a message; the honest
 * floor of that architecture is "post to an event-loop thread, sleep on Atomics for the reply".
 * It has two forms, as remora has two reply paths: the reply written into shared memory (what
 * remora does for a number, boolean, null or undefined: the baseline here, since `add` returns a
 * number) and the reply posted on a second port and read with `receiveMessageOnPort` (remora's
 * path for any other value). The third floor, both threads blocking on Atomics with no message
 * at all (bench/workers/atomics-echo.ts), is the physical limit between two threads, which no
 * design whose main thread keeps its event loop can reach; it is shown for scale.
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start, type ServerKind, type Started } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

const NAMES: Record<string, string> = {
  'raw-sync': 'raw event-loop floor: postMessage to main, reply in shared memory',
  'raw-sync-port': 'raw event-loop floor, reply as a message on a second port',
  'raw-sync-blocking': 'raw Atomics echo, both threads blocking (no message)',
  remora: 'remora (compat remote)',
  synckit: 'synckit',
};

/** Run the sync case. */
export async function runSync(ctx: BenchContext): Promise<CaseResult[]> {
  const kinds: ServerKind[] = ['raw-sync', 'raw-sync-port', 'raw-sync-blocking', 'remora', 'synckit'];
  const started: Started[] = [];
  try {
    for (const k of kinds) started.push(await start(ctx.workersDir, k));
    const n = ctx.smoke ? 200 : 600;
    const rounds = ctx.smoke ? ctx.rounds : ctx.rounds * 3;
    ctx.log(`sync round trip: ${kinds.join(', ')} × ${n} blocking calls, ${rounds} rounds`);
    const samples = await interleaved(
      started.map((s, i): Contender => ({ name: kinds[i]!, run: async () => (await s.worker.ask<{ us: number }>({ cmd: 'sync', n })).us })),
      rounds, ctx.warmup, ctx.smoke ? 200 : 1000,
    );
    const value = (k: ServerKind): number => median(samples[kinds.indexOf(k)]!);
    const floor = value('raw-sync');
    const blocking = value('raw-sync-blocking');
    const remora = value('remora');
    const synckit = value('synckit');
    const rows: Row[] = kinds.map((k, i) => ({
      impl: NAMES[k]!, value: median(samples[i]!), unit: 'µs', better: 'lower', samples: samples[i]!, baseline: k === 'raw-sync',
      ...(k === 'remora' ? { extra: { 'vs both-blocking echo': `${(remora / blocking).toFixed(2)}x`, 'vs port-reply floor': `${(remora / value('raw-sync-port')).toFixed(2)}x` } } : {}),
    }));
    return [{
      id: 'sync-rtt', title: 'Sync call round trip', rows,
      checks: [
        { label: 'remora / event-loop floor (shared-memory reply)', measured: remora / floor, unit: 'x', target: '<= 1.2x', pass: remora / floor <= 1.2 },
        { label: 'remora / synckit', measured: remora / synckit, unit: 'x', target: '< 1x (faster)', pass: remora < synckit },
      ],
      notes: [
        `${n} blocking add(i, 1) calls per run from the worker. In every contender but the both-blocking echo, main never blocks: the request is a message to its event loop. synckit serves the same function from its own worker thread (a message to that thread's event loop, the reply read with receiveMessageOnPort).`,
      ],
    }];
  } finally {
    for (const s of started) await s.stop();
  }
}
