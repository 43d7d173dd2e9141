/**
 * Figures the hardening specs print: main's heap growth, main's event-loop stall and a healthy
 * renderer's latency while an attack runs. One helper so every spec reports the same way.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** What one measured stretch of time looked like from main. */
export interface Figures {
  /** Heap used growth over the stretch, after full collections, MiB. */
  heapMiB: number;
  /** Largest heap growth sampled during the stretch (before collections), MiB. */
  peakHeapMiB: number;
  /** RSS growth over the stretch, MiB. */
  rssMiB: number;
  /** Longest event-loop delay main saw, ms. */
  maxStallMs: number;
  /** Wall time, ms. */
  ms: number;
}

/**
 * Start measuring; `stop()` returns the figures and prints them under `label`. Heap figures
 * are taken after full collections (vitest runs with --expose-gc), so they show what stays
 * held, not garbage not yet collected; `peak()` samples the heap before collecting.
 */
export function measure(label: string): { stop(): Figures; sample(): void } {
  let peak = 0;
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  return {
    sample() {
      peak = Math.max(peak, process.memoryUsage().heapUsed - m0.heapUsed);
    },
    stop() {
      h.disable();
      this.sample();
      gc();
      const m1 = process.memoryUsage();
      const f: Figures = {
        peakHeapMiB: round(peak / 2 ** 20),
        heapMiB: round((m1.heapUsed - m0.heapUsed) / 2 ** 20),
        rssMiB: round((m1.rss - m0.rss) / 2 ** 20),
        maxStallMs: round(h.max / 1e6),
        ms: round(performance.now() - t0),
      };
      console.log(`[figures] ${label}: ${JSON.stringify(f)}`);
      return f;
    },
  };
}

/** The p-th percentile (0..100) of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
