/**
 * Reading the profiles of bench/cases/profiles.ts: self time (CPU) and sampled allocation
 * bytes per frame, aggregated by source file and function, top frames first. The bench runs
 * esbuild bundles; a frame in a bundle is mapped back to its source file through the
 * `// path/to/file.ts` comment esbuild writes before each module it inlines.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CallFrame, CpuProfile, HeapNode, HeapProfile } from './inspector-profile.js';

/** One aggregated frame. */
export interface FrameCost {
  /** `file:function` (file relative to the repository, or `node:…`, or a package). */
  readonly frame: string;
  /** Self time in µs (CPU profile) or self bytes (heap profile). */
  readonly self: number;
  /** Share of the total. */
  readonly share: number;
}

const moduleMarks = new Map<string, { line: number; file: string }[]>();

/** The module starts of a bundle (line of each `// file` comment), cached. */
function marksOf(url: string): { line: number; file: string }[] {
  let marks = moduleMarks.get(url);
  if (marks) return marks;
  marks = [];
  try {
    const lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    lines.forEach((l, i) => {
      const m = /^\/\/ ((?:\.\.\/)*(?:src|actors|bench|node_modules)\/\S+)$/.exec(l);
      if (m) marks!.push({ line: i, file: m[1]!.replace(/^(\.\.\/)+/, '') });
    });
  } catch {
    // not a readable file (node: internals, eval): no marks
  }
  moduleMarks.set(url, marks);
  return marks;
}

/** Source file of a frame: the bundle's module comment above its line, or its own URL. */
export function sourceOf(f: CallFrame): string {
  const url = f.url;
  if (!url) return f.functionName.startsWith('(') ? '' : '(native)';
  if (url.startsWith('node:')) return url;
  const nm = url.indexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length).replace(/\/(dist|lib)\/.*\//, '/…/');
  if (url.endsWith('.mjs') && url.includes('/.tmp/')) {
    const marks = marksOf(url);
    let file = url.slice(url.lastIndexOf('/') + 1);
    for (const m of marks) {
      if (m.line > f.lineNumber) break;
      file = m.file;
    }
    return file;
  }
  return url.replace(/^file:\/\/.*?\/(src|actors|bench)\//, '$1/');
}

const keyOf = (f: CallFrame): string => {
  const src = sourceOf(f);
  const name = f.functionName || '(anonymous)';
  return src ? `${src}:${name}` : name;
};

function top(totals: Map<string, number>, n: number): FrameCost[] {
  let all = 0;
  for (const v of totals.values()) all += v;
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([frame, self]) => ({ frame, self, share: all > 0 ? self / all : 0 }));
}

/** Top `n` frames of a CPU profile by self time (idle excluded), and the profile's busy µs. */
export function topSelfTime(p: CpuProfile, n = 15): { frames: FrameCost[]; busyUs: number } {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!);
    // V8 records the gap before sample i; the sample's frame ran during the gap after it.
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    busy += dt;
    const k = keyOf(node.callFrame);
    totals.set(k, (totals.get(k) ?? 0) + dt);
  }
  return { frames: top(totals, n), busyUs: busy };
}

/**
 * Top `n` frames by total time (self plus everything they called), counting each frame once
 * per sample however often it recurs on the stack. `keep` filters the frames listed (for
 * example, remora's own code), so a library walk shows up under the remora function that
 * started it.
 */
export function topTotalTime(p: CpuProfile, n = 15, keep: (frame: string) => boolean = () => true): FrameCost[] {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const keys = new Map(p.nodes.map((node) => [node.id, keyOf(node.callFrame)]));
  const totals = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const node = byId.get(id);
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    busy += dt;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keys.get(at)!;
      if (seen.has(k) || !keep(k)) continue;
      seen.add(k);
      totals.set(k, (totals.get(k) ?? 0) + dt);
    }
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([frame, self]) => ({ frame, self, share: busy > 0 ? self / busy : 0 }));
}

/** Top `n` frames of a sampling heap profile by bytes allocated in the frame itself. */
export function topAllocations(h: HeapProfile, n = 10): { frames: FrameCost[]; bytes: number } {
  const totals = new Map<string, number>();
  let bytes = 0;
  const walk = (node: HeapNode): void => {
    if (node.selfSize > 0) {
      const k = keyOf(node.callFrame);
      totals.set(k, (totals.get(k) ?? 0) + node.selfSize);
      bytes += node.selfSize;
    }
    for (const c of node.children) walk(c);
  };
  walk(h.head);
  return { frames: top(totals, n), bytes };
}

/** Printable lines for a list of frames, with the cost per operation (`ops` of them in the profile). */
export function frameLines(frames: readonly FrameCost[], ops: number, unit: 'µs' | 'B'): string[] {
  return frames.map((f) => {
    const per = f.self / ops;
    const perText = unit === 'µs' ? `${per.toFixed(2)} µs/op` : `${per.toFixed(0)} B/op`;
    return `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${perText.padStart(13)}  ${f.frame}`;
  });
}
