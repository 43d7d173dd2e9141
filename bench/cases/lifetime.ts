/**
 * Lifetime: the worker receives 1M main objects by reference (100 replies of 10 000 handles),
 * drops them and lets real GC release them, batched. Afterwards main's ref table is back to
 * where it started and main's heap is flat.
 */
import { getGc, sleep, until } from '../lib/harness.js';
import { start, type Started } from '../lib/servers.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

async function heapMb(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(5);
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** Ask the worker to collect garbage until `cond()` holds in main (30 s at most). */
async function settled(s: Started, cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await s.worker.ask({ cmd: 'gc' });
    await until(cond, 200, what).catch(() => undefined);
  }
}

/** Run the lifetime case. */
export async function runLifetime(ctx: BenchContext): Promise<CaseResult[]> {
  const gc = await getGc();
  const s = await start(ctx.workersDir, 'remora');
  try {
    const broker = s.broker!;
    const size = 10_000;
    const rounds = Math.max(1, Math.round(ctx.handles / size));
    // Warm-up: one pass so code, caches and pools exist before the "before" figure.
    await s.worker.ask({ cmd: 'lifetime', rounds: 4, size, gcEvery: 2 });
    await settled(s, () => broker.stats().refs <= 1, 'warm-up releases');
    const refsBefore = broker.stats().refs;
    const before = await heapMb(gc);
    ctx.log(`lifetime: ${rounds} × ${size} handles created and dropped with GC`);
    const r = await s.worker.ask<{ ms: number; handles: number }>({ cmd: 'lifetime', rounds, size, gcEvery: 4 }, 120_000);
    const peakRefs = broker.stats().refs;
    await settled(s, () => broker.stats().refs <= refsBefore, 'main refs back to the start');
    const refsAfter = broker.stats().refs;
    const after = await heapMb(gc);
    const drift = after / before - 1;
    const rows: Row[] = [
      { impl: `create + drop ${label(r.handles)} handles`, value: (r.handles * 1000) / r.ms, unit: 'handles/s', better: 'higher', extra: { time: `${(r.ms / 1000).toFixed(1)} s`, 'main refs before/after': `${refsBefore} / ${refsAfter}`, 'refs left right after the loop': String(peakRefs) } },
      { impl: 'main heap before', value: before, unit: 'MB', better: 'lower', baseline: true },
      { impl: 'main heap after', value: after, unit: 'MB', better: 'lower' },
    ];
    return [{
      id: 'lifetime', title: `Lifetime: ${label(r.handles)} handles created and dropped with GC`, rows,
      checks: [
        { label: "main's ref table back to its start", measured: refsAfter, unit: 'refs', target: `= ${refsBefore} (the module handle still held)`, pass: refsAfter === refsBefore },
        { label: 'main heap after / before − 1', measured: drift * 100, unit: '%', target: 'within ±5%', pass: Math.abs(drift) <= 0.05 },
      ],
      notes: [`The worker awaits api.items(${size}) ${rounds} times (each reply carries ${size} refs), drops the handles and calls gc() every 4 replies; FinalizationRegistry queues releases and they go to main batched. Main heap: heapUsed after forced GC.`],
    }];
  } finally {
    await s.stop();
  }
}
