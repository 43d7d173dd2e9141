/**
 * Merging the repeats of one `npm run bench` (`--repeat N`, default 3): one figure per row and
 * per target, the median across the repeats, with the spread (min–max) kept beside it. A single
 * run of the suite on a shared machine moves by tens of percent; the median of three runs, with
 * its spread printed, is what the reports quote.
 */
import { median } from './stats.js';
import type { CaseResult, Check, Row } from './types.js';

/** Smallest and largest of a list (the spread printed beside a median). */
export function spreadOf(xs: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

/** Index of the element whose value is the (nearest-rank) median, so a verdict can be taken from it. */
function medianIndex(xs: readonly number[]): number {
  const m = median(xs);
  return xs.indexOf(m);
}

function mergeRow(rows: readonly Row[]): Row {
  const values = rows.map((r) => r.value);
  const at = rows[medianIndex(values)]!;
  return { ...at, value: at.value, runs: values, samples: rows.flatMap((r) => r.samples ?? []) };
}

function mergeCheck(checks: readonly Check[]): Check {
  const values = checks.map((k) => k.measured);
  // The nearest-rank median is one repeat's own figure, so its verdict is the verdict of the
  // median, whatever shape the target has (a bound, a range, an equality).
  const at = checks[medianIndex(values)]!;
  return { ...at, runs: values, passes: checks.filter((k) => k.pass).length };
}

/**
 * Merge the results of every repeat into one list, case by case (matched by id), row by row
 * (matched by name and unit) and check by check (matched by label). A row or check missing
 * from some repeat is merged over the repeats that have it.
 */
export function mergeRuns(runs: readonly (readonly CaseResult[])[]): CaseResult[] {
  if (runs.length === 1) return [...runs[0]!];
  const ids: string[] = [];
  for (const run of runs) for (const c of run) if (!ids.includes(c.id)) ids.push(c.id);
  return ids.map((id) => {
    const cs = runs.map((run) => run.find((c) => c.id === id)).filter((c): c is CaseResult => c !== undefined);
    const first = cs[0]!;
    const rowKeys: string[] = [];
    for (const c of cs) for (const r of c.rows) if (!rowKeys.includes(`${r.impl}\u0000${r.unit}`)) rowKeys.push(`${r.impl}\u0000${r.unit}`);
    const rows = rowKeys.map((key) => mergeRow(cs.flatMap((c) => c.rows.filter((r) => `${r.impl}\u0000${r.unit}` === key))));
    const labels: string[] = [];
    for (const c of cs) for (const k of c.checks) if (!labels.includes(k.label)) labels.push(k.label);
    const checks = labels.map((label) => mergeCheck(cs.flatMap((c) => c.checks.filter((k) => k.label === label))));
    return { ...first, rows, checks };
  });
}
