/**
 * Promise pipelining: `await api.link(0).next().next().next().value()` (5 dependent calls,
 * one message) against one call (`await api.add(3, 0)`) and the same 5 calls awaited one by one.
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

/** Run the pipelining case. */
export async function runPipeline(ctx: BenchContext): Promise<CaseResult[]> {
  const s = await start(ctx.workersDir, 'remora');
  try {
    const n = 150;
    const rounds = ctx.rounds * 3;
    const modes = [
      { mode: 'one', name: 'one call' },
      { mode: 'chain', name: '5-call chain, pipelined' },
      { mode: 'awaited', name: '5 calls, each awaited' },
    ] as const;
    ctx.log(`pipelining: ${modes.map((m) => m.mode).join(', ')} × ${n}, ${rounds} rounds`);
    const samples = await interleaved(
      modes.map((m): Contender => ({ name: m.mode, run: async () => (await s.worker.ask<{ us: number }>({ cmd: 'pipe', mode: m.mode, n })).us })),
      rounds, ctx.warmup,
    );
    const rows: Row[] = modes.map((m, i) => ({ impl: m.name, value: median(samples[i]!), unit: 'µs', better: 'lower', samples: samples[i]!, baseline: i === 0 }));
    const chain = rows[1]!.value / rows[0]!.value;
    return [{
      id: 'pipelining', title: 'Promise pipelining', rows,
      checks: [
        { label: '5-chain pipelined / one call', measured: chain, unit: 'x', target: '<= 1.5x', pass: chain <= 1.5 },
        { label: '5 awaited / 5-chain pipelined', measured: rows[2]!.value / rows[1]!.value, unit: 'x', target: '> 1x (pipelining helps)', pass: rows[2]!.value > rows[1]!.value },
      ],
      notes: [`${n} iterations per run over worker_threads, time per iteration. Each chain link is a main object sent by reference (released later by GC).`],
    }];
  } finally {
    await s.stop();
  }
}
