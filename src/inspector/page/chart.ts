/**
 * The calls/s and refs chart: inline SVG, two lines on their own scales, labelled axes. No
 * chart library: sixty points a minute need none.
 * @packageDocumentation
 */
import type { SeriesPoint } from '../snapshot.js';

const W = 380;
const H = 150;
const PAD = { l: 34, r: 34, t: 18, b: 18 };

function line(values: readonly number[], max: number, n: number): string {
  const w = W - PAD.l - PAD.r;
  const h = H - PAD.t - PAD.b;
  const step = n > 1 ? w / (n - 1) : 0;
  const off = n - values.length;
  return values.map((v, i) => `${(PAD.l + (off + i) * step).toFixed(1)},${(PAD.t + h - (max ? (v / max) * h : 0)).toFixed(1)}`).join(' ');
}

/** The chart of the points given: the x axis spans them (at least 20 s, at most `maxSeconds`). */
export function chartView(series: readonly SeriesPoint[], maxSeconds = 60): string {
  const seconds = Math.min(maxSeconds, Math.max(20, series.length));
  const calls = series.map((p) => p.calls);
  const refs = series.map((p) => p.refs);
  const maxCalls = Math.max(1, ...calls);
  const maxRefs = Math.max(1, ...refs);
  const last = series[series.length - 1];
  const base = H - PAD.b;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="calls per second and refs over the last ${seconds} seconds">
<line x1="${PAD.l}" y1="${base}" x2="${W - PAD.r}" y2="${base}" stroke="#2f3d4d"/>
<line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${base}" stroke="#2f3d4d"/>
<line x1="${W - PAD.r}" y1="${PAD.t}" x2="${W - PAD.r}" y2="${base}" stroke="#2f3d4d"/>
<text x="${PAD.l - 4}" y="${PAD.t + 4}" text-anchor="end">${maxCalls}</text>
<text x="${PAD.l - 4}" y="${base}" text-anchor="end">0</text>
<text x="${W - PAD.r + 4}" y="${PAD.t + 4}">${maxRefs}</text>
<text x="${W - PAD.r + 4}" y="${base}">0</text>
<text x="${PAD.l}" y="${H - 4}">-${seconds} s</text>
<text x="${W - PAD.r}" y="${H - 4}" text-anchor="end">now</text>
<polyline fill="none" stroke="#8fd3ff" stroke-width="1.6" points="${line(calls, maxCalls, seconds)}"/>
<polyline fill="none" stroke="#a3be8c" stroke-width="1.6" points="${line(refs, maxRefs, seconds)}"/>
<rect x="${PAD.l + 6}" y="4" width="10" height="3" fill="#8fd3ff"/><text x="${PAD.l + 20}" y="9">calls/s ${last?.calls ?? 0}</text>
<rect x="${PAD.l + 110}" y="4" width="10" height="3" fill="#a3be8c"/><text x="${PAD.l + 124}" y="9">refs ${last?.refs ?? 0}</text>
</svg>`;
}
