/**
 * Calls, errors and latency percentiles of one method over a sliding time window, in bounded
 * memory: at most `capacity` samples are kept (the oldest go first), so a burst of a million
 * calls costs the same as `capacity` of them and the percentiles describe the newest ones.
 * @packageDocumentation
 */

/** A sliding window of call outcomes. */
export class LatencyWindow {
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  private readonly ok: Uint8Array;
  /** Index of the oldest sample. */
  private head = 0;
  private size = 0;

  constructor(
    /** Length of the window in ms. */
    readonly windowMs: number,
    /** Samples kept at most. */
    readonly capacity = 2048,
  ) {
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.ok = new Uint8Array(capacity);
  }

  /** Record one finished call. */
  add(at: number, ms: number, ok: boolean): void {
    const i = (this.head + this.size) % this.capacity;
    this.at[i] = at;
    this.ms[i] = ms;
    this.ok[i] = ok ? 1 : 0;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Drop samples older than the window ending at `now`; returns how many remain. */
  prune(now: number): number {
    const from = now - this.windowMs;
    while (this.size > 0 && this.at[this.head]! < from) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    return this.size;
  }

  /** Calls, errors and p50/p99 (ms, nearest rank) of the samples in the window ending at `now`. */
  summary(now: number): { calls: number; errors: number; p50: number; p99: number } {
    const n = this.prune(now);
    const sorted = new Float64Array(n);
    let errors = 0;
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) % this.capacity;
      sorted[k] = this.ms[i]!;
      if (!this.ok[i]) errors++;
    }
    sorted.sort();
    return { calls: n, errors, p50: rank(sorted, 0.5), p99: rank(sorted, 0.99) };
  }
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function rank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx]!;
}
