/** Small statistics helpers for the benchmark suite. */

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** The p-th percentile (nearest rank) of a non-empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

/** Format a number with a unit chosen for readability. */
export function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'µs' || unit === 'ms' || unit === 'µs CPU') return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${unit}`;
  if (unit === 'ops/s' || unit === 'calls/s' || unit === 'events/s' || unit === 'updates/s' || unit === 'handles/s') {
    if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M ${unit}`;
    if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k ${unit}`;
    return `${v.toFixed(0)} ${unit}`;
  }
  if (unit === 'B' && v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MiB`;
  if (unit === 'B' && v >= 1024) return `${(v / 1024).toFixed(1)} KiB`;
  if (unit === 'MB/s') return `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ${unit}`;
  if (unit === 'B' || unit === 'MB') return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`;
  return `${Number.isInteger(v) ? v : v.toFixed(3)} ${unit}`;
}
