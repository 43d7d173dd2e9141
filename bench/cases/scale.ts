/**
 * Scale: 1, 10 and 100 renderer workers connected to one main at once, each making sequential
 * `add(i, 1)` calls for a fixed time, through remora and through a raw MessagePort echo (the
 * same workers hold both; the two run in alternate waves). Per wave: aggregate calls per
 * second, main-thread CPU per call, and the latency of one renderer (the probe, worker 0)
 * while the others are busy (p50, p99). Waves are short so the 100-worker case stays
 * affordable on a 2-core machine.
 */
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import { startFleet } from '../lib/fleet.js';
import { processCpuUs, threadCpuIsPerThread, threadCpuUs } from '../lib/cpu.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

type Impl = 'raw' | 'remora';
interface Wave { rate: number; cpu: number; procCpu: number; p50: number; p99: number }
interface LoadReply { calls: number; elapsedMs: number; p50?: number; p99?: number }

/** Run the scale case. */
export async function runScale(ctx: BenchContext): Promise<CaseResult[]> {
  const counts = ctx.smoke ? [1, 4] : [1, 10, 100];
  const out: CaseResult[] = [];
  for (const n of counts) {
    ctx.log(`scale: starting ${n} renderer worker${n === 1 ? '' : 's'}`);
    const t0 = Date.now();
    const fleet = await startFleet(ctx.workersDir, n);
    ctx.log(`scale: ${n} connected in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const ms = ctx.smoke ? 150 : n >= 100 ? 600 : 400;
      const waves: Record<Impl, Wave[]> = { raw: [], remora: [] };
      const wave = (impl: Impl): Contender => ({
        name: impl,
        run: async () => {
          const c0 = threadCpuUs();
          const p0 = processCpuUs();
          const replies = await Promise.all(fleet.workers.map((w, i) => w.ask<LoadReply>({ cmd: 'load', impl, ms, probe: i === 0 }, 120_000)));
          const calls = replies.reduce((a, r) => a + r.calls, 0);
          const w: Wave = {
            rate: replies.reduce((a, r) => a + (r.calls * 1000) / r.elapsedMs, 0),
            cpu: (threadCpuUs() - c0) / calls,
            procCpu: (processCpuUs() - p0) / calls,
            p50: replies[0]!.p50!,
            p99: replies[0]!.p99!,
          };
          waves[impl].push(w);
          return w.rate;
        },
      });
      const rounds = ctx.smoke ? 1 : 3;
      await interleaved([wave('raw'), wave('remora')], rounds, 1, 0);
      const fig = (impl: Impl, k: keyof Wave): number => median(waves[impl].slice(-rounds).map((w) => w[k]));
      const renderers = `${n} renderer${n === 1 ? '' : 's'}`;
      const rows: Row[] = [];
      for (const impl of ['raw', 'remora'] as const) {
        const name = impl === 'raw' ? 'raw MessagePort echo' : 'remora';
        rows.push({ impl: `${name}: aggregate calls/s`, value: fig(impl, 'rate'), unit: 'calls/s', better: 'higher', baseline: impl === 'raw', samples: waves[impl].slice(-rounds).map((w) => w.rate) });
      }
      for (const impl of ['raw', 'remora'] as const) {
        const name = impl === 'raw' ? 'raw MessagePort echo' : 'remora';
        rows.push({ impl: `${name}: main CPU per call`, value: fig(impl, 'cpu'), unit: 'µs CPU', better: 'lower', baseline: impl === 'raw', extra: { 'process CPU per call (all threads)': `${fig(impl, 'procCpu').toFixed(1)} µs` } });
      }
      for (const impl of ['raw', 'remora'] as const) {
        const name = impl === 'raw' ? 'raw MessagePort echo' : 'remora';
        rows.push({ impl: `${name}: one renderer's p99 latency`, value: fig(impl, 'p99'), unit: 'µs', better: 'lower', baseline: impl === 'raw', extra: { p50: `${fig(impl, 'p50').toFixed(1)} µs` } });
      }
      out.push({
        id: `scale-${n}`, title: `Scale: ${renderers} on one main`, rows, checks: [],
        notes: [
          `${renderers}, each making sequential add(i, 1) calls for ${ms} ms per wave (one call in flight per renderer); ${rounds} waves per contender, alternating. Latency: renderer 0's calls during the same wave.`,
          `Main CPU: ${threadCpuIsPerThread() ? "main thread's CPU time (/proc/thread-self/schedstat)" : 'process.cpuUsage() (no per-thread clock here)'} over the wave, per call; process CPU (process.cpuUsage(), every thread including the renderers) beside it.`,
        ],
      });
    } finally {
      await fleet.stop();
    }
  }
  return out;
}
