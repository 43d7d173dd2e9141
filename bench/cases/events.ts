/**
 * Event stream main → renderer: an EventEmitter in main, `fromRemoteEvent(api.emitter,
 * 'tick')` in the worker. Main emits timestamps in bursts (one burst per macrotask); the
 * worker counts them and measures each event's latency. Baseline: the same bursts posted raw
 * as one Float64Array per burst on a MessagePort.
 *
 * Two measurements per contender: throughput (bursts back to back) and latency at a paced
 * rate (bursts of 100 every millisecond), where queueing does not dominate.
 */
import { performance } from 'node:perf_hooks';
import { median } from '../lib/stats.js';
import { type Contender, interleaved, sleep } from '../lib/harness.js';
import { start, type Started } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

const clock = (): number => performance.timeOrigin + performance.now();
const immediate = (): Promise<void> => new Promise((r) => setImmediate(r));

interface Done { last: number; p50: number; p99: number }

async function runOnce(s: Started, raw: boolean, total: number, burst: number, pauseMs: number): Promise<{ rate: number; p50: number; p99: number }> {
  const done = s.worker.later<Done>();
  await s.worker.ask({ cmd: 'expect', n: total, re2: done.re });
  const t0 = clock();
  for (let sent = 0; sent < total; sent += burst) {
    const k = Math.min(burst, total - sent);
    if (raw) {
      const batch = new Float64Array(k);
      for (let i = 0; i < k; i++) batch[i] = clock();
      s.port!.postMessage(batch);
    } else {
      for (let i = 0; i < k; i++) s.api.emitter.emit('tick', clock());
    }
    if (pauseMs > 0) await sleep(pauseMs);
    else await immediate();
  }
  const r = await done.promise;
  return { rate: (total * 1000) / (r.last - t0), p50: r.p50, p99: r.p99 };
}

/** Run the event stream case. */
export async function runEvents(ctx: BenchContext): Promise<CaseResult[]> {
  const started: Started[] = [];
  try {
    // A big per-stream buffer: the throughput run emits faster than any renderer consumes.
    const remora = await start(ctx.workersDir, 'remora', { limits: { streamBuffer: 10_000_000 } });
    started.push(remora);
    const raw = await start(ctx.workersDir, 'raw-events');
    started.push(raw);
    for (const s of started) await s.worker.ask({ cmd: 'subscribe' });
    const total = 100_000;
    const burst = 1000;
    ctx.log(`events: ${total} events in bursts of ${burst}, then paced 100/ms; ${ctx.rounds} rounds`);
    const lat: Record<string, { p50: number[]; p99: number[] }> = { raw: { p50: [], p99: [] }, remora: { p50: [], p99: [] } };
    const mk = (name: 'raw' | 'remora', s: Started, paced: boolean): Contender => ({
      name,
      run: async () => {
        if (!paced) return (await runOnce(s, name === 'raw', total, burst, 0)).rate;
        const r = await runOnce(s, name === 'raw', 5000, 100, 1);
        lat[name]!.p50.push(r.p50);
        lat[name]!.p99.push(r.p99);
        return r.rate;
      },
    });
    const tp = await interleaved([mk('raw', raw, false), mk('remora', remora, false)], ctx.rounds, ctx.warmup);
    await interleaved([mk('raw', raw, true), mk('remora', remora, true)], Math.max(3, Math.ceil(ctx.rounds / 2)), 1);
    const us = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;
    const extra = (n: string): Record<string, string> => ({ 'paced p50': us(median(lat[n]!.p50)), 'paced p99': us(median(lat[n]!.p99)) });
    const rows: Row[] = [
      { impl: 'raw postMessage of each burst', value: median(tp[0]!), unit: 'events/s', better: 'higher', samples: tp[0]!, baseline: true, extra: extra('raw') },
      { impl: 'remora fromRemoteEvent', value: median(tp[1]!), unit: 'events/s', better: 'higher', samples: tp[1]!, extra: extra('remora') },
    ];
    const rate = rows[1]!.value;
    return [{
      id: 'events', title: 'Event stream main → renderer', rows,
      checks: [{ label: 'remora events/s, batched', measured: rate, unit: 'events/s', target: '>= 1M events/s', pass: rate >= 1e6 }],
      notes: [
        `${total} events per run emitted in bursts of ${burst} (one burst per macrotask), rate = events / (last receipt − first emission).`,
        'Latency: bursts of 100 events every millisecond (5000 events), emission-to-receipt time per event, medians of the per-run p50/p99.',
      ],
    }];
  } finally {
    for (const s of started) await s.stop();
  }
}
