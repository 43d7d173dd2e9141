/**
 * Async calls over worker_threads: sequential round trip and throughput with 1000 calls in
 * flight, remora against a raw MessagePort echo, Comlink and birpc; and the actor layer's
 * overhead: the same remora renderer against a broker (session, ref table, actor mailbox)
 * and against a minimal hand-written dispatcher on the same transport, codec and frames.
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { start, type ServerKind, type Started } from '../lib/servers.js';
import type { BenchContext, CaseResult, Check, Row } from '../lib/types.js';
import { threadCpuIsPerThread, threadCpuUs } from '../lib/cpu.js';

const NAMES: Record<string, string> = {
  raw: 'raw MessagePort echo',
  remora: 'remora',
  comlink: 'Comlink',
  birpc: 'birpc',
  'remora-direct': 'remora renderer + direct dispatcher',
};

function rows(kinds: readonly string[], samples: number[][], unit: string, better: 'lower' | 'higher', baseline: string, names = NAMES): Row[] {
  return kinds.map((k, i) => ({ impl: names[k] ?? k, value: median(samples[i]!), unit, better, samples: samples[i]!, baseline: k === baseline }));
}

const ratio = (rs: Row[], a: string, b: string): number => rs.find((r) => r.impl === a)!.value / rs.find((r) => r.impl === b)!.value;

/** Run the async cases. In smoke mode only remora vs raw, sequential, small. */
export async function runRpc(ctx: BenchContext): Promise<CaseResult[]> {
  const kinds: ServerKind[] = ctx.smoke ? ['raw', 'remora'] : ['raw', 'remora', 'comlink', 'birpc', 'remora-direct'];
  const started: Started[] = [];
  try {
    for (const k of kinds) started.push(await start(ctx.workersDir, k));
    // Many short runs, interleaved: on a noisy machine the median of short runs is steadier.
    const seqN = ctx.smoke ? 300 : 600;
    const seqRounds = ctx.smoke ? ctx.rounds : ctx.rounds * 3;
    ctx.log(`async round trip: ${kinds.join(', ')} × ${seqN} sequential calls, ${seqRounds} rounds`);
    const seq = await interleaved(
      started.map((s, i): Contender => ({ name: kinds[i]!, run: async () => (await s.worker.ask<{ us: number }>({ cmd: 'seq', n: seqN })).us })),
      seqRounds, ctx.warmup,
    );
    const results: CaseResult[] = [];
    const main4: string[] = kinds.filter((k) => k !== 'remora-direct');
    const seqRows = rows(main4, seq.slice(0, main4.length), 'µs', 'lower', 'raw');
    const seqChecks: Check[] = [];
    const r = ratio(seqRows, 'remora', NAMES.raw!);
    seqChecks.push({ label: 'remora / raw', measured: r, unit: 'x', target: '<= 1.3x', pass: r <= 1.3 });
    for (const peer of ['comlink', 'birpc']) {
      if (!main4.includes(peer)) continue;
      const rp = ratio(seqRows, 'remora', NAMES[peer]!);
      seqChecks.push({ label: `remora / ${NAMES[peer]}`, measured: rp, unit: 'x', target: '< 1x (faster)', pass: rp < 1 });
    }
    results.push({
      id: 'async-rtt', title: 'Async call round trip (sequential)', rows: seqRows, checks: seqChecks,
      notes: [`${seqN} sequential awaited add(i, 1) calls per run, time per call, measured in the worker (renderer).`],
    });
    if (ctx.smoke) return results;

    const inflight = 1000;
    const reps = 2;
    const burstRounds = ctx.rounds * 2;
    ctx.log(`async throughput: ${inflight} in flight × ${reps}, ${burstRounds} rounds`);
    // CPU per call on each side (main: this thread; renderer: the worker's own clock), to show
    // which side limits the throughput; warm-up runs included, medians.
    const cpu = kinds.map(() => ({ main: [] as number[], renderer: [] as number[] }));
    const burst = await interleaved(
      started.map((s, i): Contender => ({
        name: kinds[i]!,
        run: async () => {
          const c0 = threadCpuUs();
          const r = await s.worker.ask<{ ops: number; cpuUs: number }>({ cmd: 'burst', inflight, reps });
          cpu[i]!.main.push((threadCpuUs() - c0) / (inflight * reps));
          cpu[i]!.renderer.push(r.cpuUs);
          return r.ops;
        },
      })),
      burstRounds, ctx.warmup,
    );
    const cpuNote = (i: number): Record<string, string> => ({
      'main CPU/call': `${median(cpu[i]!.main).toFixed(2)} µs`,
      'renderer CPU/call': `${median(cpu[i]!.renderer).toFixed(2)} µs`,
    });
    const tpRows = rows(main4, burst.slice(0, main4.length), 'ops/s', 'higher', 'raw').map((r, i): Row => ({ ...r, extra: cpuNote(i) }));
    const tr = ratio(tpRows, 'remora', NAMES.raw!);
    const tpChecks: Check[] = [{ label: 'remora / raw', measured: tr, unit: 'x', target: '>= 0.7x', pass: tr >= 0.7 }];
    for (const peer of ['comlink', 'birpc']) {
      const rp = ratio(tpRows, 'remora', NAMES[peer]!);
      tpChecks.push({ label: `remora / ${NAMES[peer]}`, measured: rp, unit: 'x', target: '> 1x (faster)', pass: rp > 1 });
    }
    results.push({
      id: 'async-throughput', title: 'Async throughput (1000 calls in flight)', rows: tpRows, checks: tpChecks,
      notes: [`${reps} waves of ${inflight} concurrent add(i, 1) calls per run (Promise.all), calls per second; beside each, the CPU per call of main's thread and of the renderer worker's thread${threadCpuIsPerThread() ? '' : ' (main: whole process, no per-thread clock here)'}.`],
    });

    // Actor layer overhead: same renderer, broker vs direct dispatcher.
    const di = kinds.indexOf('remora-direct');
    const ri = kinds.indexOf('remora');
    const names = { remora: 'remora broker (session + actor)', 'remora-direct': 'direct dispatcher (same codec/frames)' };
    const ovRows = rows(['remora-direct', 'remora'], [seq[di]!, seq[ri]!], 'µs', 'lower', 'remora-direct', names);
    const ovTpRows = rows(['remora-direct', 'remora'], [burst[di]!, burst[ri]!], 'ops/s', 'higher', 'remora-direct', { remora: 'remora broker, throughput', 'remora-direct': 'direct dispatcher, throughput' });
    const o1 = ovRows[1]!.value / ovRows[0]!.value;
    const o2 = ovTpRows[0]!.value / ovTpRows[1]!.value;
    results.push({
      id: 'actor-overhead', title: 'Actor layer overhead', rows: [...ovRows, ...ovTpRows],
      checks: [
        { label: 'broker / direct, round trip', measured: o1, unit: 'x', target: '< 1.15x', pass: o1 < 1.15 },
        { label: 'direct / broker, time per call at 1000 in flight', measured: o2, unit: 'x', target: '< 1.15x', pass: o2 < 1.15 },
      ],
      notes: ['The same remora renderer calls add(i, 1) through a broker (session, ref table, supervised actor mailbox) and through a hand-written dispatcher that validates and decodes the same frames and calls the function directly (bench/lib/direct.ts).'],
    });
    return results;
  } finally {
    for (const s of started) await s.stop();
  }
}
