/**
 * Sync call round trip: remora's compatibility mode (`remote.require('api').add(a, b)`, the
 * worker blocks on Atomics.wait) against the raw floor (post the request, Atomics.wait on a
 * shared word, read the answer from shared memory) and synckit.
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start, type ServerKind, type Started } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

const NAMES: Record<string, string> = { 'raw-sync': 'raw SharedArrayBuffer + Atomics echo', remora: 'remora (compat remote)', synckit: 'synckit' };

/** Run the sync case. */
export async function runSync(ctx: BenchContext): Promise<CaseResult[]> {
  const kinds: ServerKind[] = ['raw-sync', 'remora', 'synckit'];
  const started: Started[] = [];
  try {
    for (const k of kinds) started.push(await start(ctx.workersDir, k));
    const n = 600;
    const rounds = ctx.rounds * 3;
    ctx.log(`sync round trip: ${kinds.join(', ')} × ${n} blocking calls, ${rounds} rounds`);
    const samples = await interleaved(
      started.map((s, i): Contender => ({ name: kinds[i]!, run: async () => (await s.worker.ask<{ us: number }>({ cmd: 'sync', n })).us })),
      rounds, ctx.warmup,
    );
    const rows: Row[] = kinds.map((k, i) => ({ impl: NAMES[k]!, value: median(samples[i]!), unit: 'µs', better: 'lower', samples: samples[i]!, baseline: k === 'raw-sync' }));
    const raw = rows[0]!.value;
    const remora = rows[1]!.value;
    const synckit = rows[2]!.value;
    return [{
      id: 'sync-rtt', title: 'Sync call round trip', rows,
      checks: [
        { label: 'remora / raw Atomics', measured: remora / raw, unit: 'x', target: '<= 1.3x', pass: remora / raw <= 1.3 },
        { label: 'remora / synckit', measured: remora / synckit, unit: 'x', target: '< 1x (faster)', pass: remora < synckit },
      ],
      notes: [`${n} blocking add(i, 1) calls per run from the worker; main never blocks. synckit serves the same function from its own worker thread.`],
    }];
  } finally {
    for (const s of started) await s.stop();
  }
}
