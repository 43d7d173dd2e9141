/** Shapes shared by the benchmark cases and the report. */

/** One implementation's figure in a case (the median of its timed runs). */
export interface Row {
  /** What was measured, e.g. `remora` or `raw MessagePort echo`. */
  readonly impl: string;
  /** Median of the timed runs. */
  readonly value: number;
  /** Unit of `value`: `µs` (per op), `ops/s`, `events/s`, `B`, `MB`, ... */
  readonly unit: string;
  /** Which direction is better. */
  readonly better: 'lower' | 'higher';
  /** The baseline of its case (ratios are relative to it). */
  readonly baseline?: boolean;
  /** Compare with this row (by `impl`) instead of the case's first baseline of the same unit. */
  readonly vs?: string;
  /** Raw samples (one per timed run). */
  readonly samples?: readonly number[];
  /** Extra figures (p50/p99, heap, ...), printed next to the row. */
  readonly extra?: Readonly<Record<string, string>>;
  /** With `--repeat N`: this row's figure in each repeat of the suite (`value` is their median). */
  readonly runs?: readonly number[];
}

/** A target check: pass or fail. */
export interface Check {
  /** What is compared, e.g. `remora / raw`. */
  readonly label: string;
  /** The measured figure (a ratio, or an absolute figure). */
  readonly measured: number;
  /** How `measured` prints (`x` for ratios, or a unit). */
  readonly unit: string;
  /** The target in words, e.g. `<= 1.3x`. */
  readonly target: string;
  /** Met? With `--repeat N`, judged on the median repeat (`measured`). */
  readonly pass: boolean;
  /** With `--repeat N`: the measured figure in each repeat (`measured` is their median). */
  readonly runs?: readonly number[];
  /** With `--repeat N`: in how many repeats the target was met. */
  readonly passes?: number;
}

/** One case's outcome. */
export interface CaseResult {
  /** Stable id, e.g. `async-rtt`. */
  readonly id: string;
  /** Title for tables and the chart. */
  readonly title: string;
  readonly rows: readonly Row[];
  readonly checks: readonly Check[];
  /** Free-text notes (method, parameters). */
  readonly notes?: readonly string[];
}

/** What every case receives. */
export interface BenchContext {
  /** Timed runs per implementation (medians over these). */
  readonly rounds: number;
  /** Untimed warm-up runs per implementation. */
  readonly warmup: number;
  /** Smoke mode: tiny sizes, just prove it runs. */
  readonly smoke: boolean;
  /** Handles created and dropped in the lifetime case (default 1 000 000; `--handles=N`). */
  readonly handles: number;
  /** Directory holding the bundled worker scripts. */
  readonly workersDir: string;
  /** Log a progress line. */
  log(line: string): void;
}

/** Ratio of a row to its case's baseline, oriented so that > 1 means "slower / worse than baseline" for `lower` units. */
export function ratioOf(row: Row, base: Row): number {
  return row.value / base.value;
}
