/**
 * The suite itself (bundled by `bench/run.ts` and run from `bench/.tmp/suite.mjs`): every case
 * side by side with its baseline, the table, and the written reports.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { consoleTable, markdown, type RepeatInfo, type RunInfo, svgChart } from './lib/report.js';
import { mergeRuns } from './lib/merge.js';
import type { BenchContext, CaseResult } from './lib/types.js';
import { runRpc } from './cases/rpc.js';
import { runSync } from './cases/sync.js';
import { runPipeline } from './cases/pipeline.js';
import { runEvents } from './cases/events.js';
import { runLifetime } from './cases/lifetime.js';
import { runState } from './cases/state.js';
import { runStateGrowth } from './cases/state-growth.js';
import { runScale } from './cases/scale.js';
import { runPayload } from './cases/payload.js';
import { runProfile } from './cases/profiles.js';
import { runValidation } from './cases/validation.js';
import { runInspector } from './cases/inspector.js';
import { pinning, pinningText } from './lib/pin.js';

/** Run the suite. `root` is the repository, `args` the command-line options, `workersDir` the bundled workers. */
export async function runSuite(root: string, args: readonly string[], workersDir: string): Promise<void> {
/** `--name=value` or `--name value` (a following argument that is not itself an option), `''` for a bare `--name`. */
const flag = (name: string): string | undefined => {
  const i = args.findIndex((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
  const next = args[i + 1];
  return next !== undefined && !next.startsWith('--') ? next : '';
};
const smoke = flag('smoke') !== undefined;
const only = flag('only')?.split(',').filter(Boolean);
const rounds = Number(flag('rounds') || (smoke ? 3 : 9));
/** Whole-suite repeats; figures and verdicts are the median over them (smoke: one). */
const repeat = Math.max(1, Number(flag('repeat') || (smoke ? 1 : 3)));
const warmup = smoke ? 1 : 2;
const write = !smoke && flag('no-write') === undefined && !only;

/** The WebSocket case is written by the browser transport's author; run it when it exists. */
async function runWebSocket(ctx: BenchContext): Promise<CaseResult[]> {
  const file = join(root, 'bench/cases/websocket.ts');
  if (!existsSync(file)) {
    ctx.log('websocket: bench/cases/websocket.ts does not exist yet; skipped');
    return [];
  }
  const mod = (await import(pathToFileURL(file).href)) as { run?: (c: BenchContext) => Promise<CaseResult | CaseResult[]>; default?: (c: BenchContext) => Promise<CaseResult | CaseResult[]> };
  const fn = mod.run ?? mod.default;
  if (typeof fn !== 'function') {
    ctx.log('websocket: bench/cases/websocket.ts exports no run(ctx); skipped');
    return [];
  }
  try {
    const r = await fn(ctx);
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    // Chromium missing (or failing) must not sink the rest of the suite.
    ctx.log(`websocket: skipped (${e instanceof Error ? e.message : String(e)})`);
    return [];
  }
}

const CASES: Record<string, (ctx: BenchContext) => Promise<CaseResult[]>> = {
  rpc: runRpc,
  sync: runSync,
  pipeline: runPipeline,
  events: runEvents,
  lifetime: runLifetime,
  state: runState,
  'state-growth': runStateGrowth,
  scale: runScale,
  payload: runPayload,
  websocket: runWebSocket,
  validation: runValidation,
  inspector: runInspector,
};

async function main(): Promise<void> {
  if (flag('render') !== undefined) {
    // Re-render the reports from bench/results.json (no measuring).
    const saved = JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')) as { info: RunInfo; cases: CaseResult[] };
    console.log(consoleTable(saved.cases));
    writeReports(saved.cases, saved.info);
    return;
  }
  const t0 = Date.now();
  pinning();
  const ctx: BenchContext = { rounds, warmup, smoke, workersDir, handles: Number(flag('handles') || 1_000_000), log: (l) => console.log(`[bench] ${l}`) };
  ctx.log(pinningText());
  const profile = flag('profile');
  if (profile !== undefined) {
    for (const p of (profile || 'rtt,state').split(',')) await runProfile(ctx, p);
    return;
  }
  // Smoke: every new case once, tiny (CI proves the suite runs); `--only` narrows it further.
  const ids = only ?? (smoke ? ['rpc', 'sync', 'state-growth', 'scale', 'payload'] : Object.keys(CASES));
  for (const id of ids) if (!CASES[id]) throw new Error(`unknown case "${id}"; cases: ${Object.keys(CASES).join(', ')}`);
  const perRepeat: CaseResult[][] = [];
  const repeats: RepeatInfo[] = [];
  for (let r = 0; r < repeat; r++) {
    const loadStart = loadavg();
    const r0 = Date.now();
    ctx.log(`repeat ${r + 1}/${repeat}: load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
    const results: CaseResult[] = [];
    for (const id of ids) results.push(...(await CASES[id]!(ctx)));
    perRepeat.push(results);
    repeats.push({ loadStart, loadEnd: loadavg(), seconds: (Date.now() - r0) / 1000 });
    if (repeat > 1) {
      const met = results.reduce((n, c) => n + c.checks.filter((k) => k.pass).length, 0);
      ctx.log(`repeat ${r + 1}/${repeat} done in ${repeats[r]!.seconds.toFixed(0)} s: ${met}/${results.reduce((n, c) => n + c.checks.length, 0)} targets met in this repeat`);
    }
  }
  const results = mergeRuns(perRepeat);
  const cpu = cpus();
  const info: RunInfo = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    rounds,
    warmup,
    seconds: (Date.now() - t0) / 1000,
    repeats,
    pinning: pinningText(),
  };
  console.log(consoleTable(results));
  const failed = results.flatMap((c) => c.checks.filter((k) => !k.pass).map((k) => `${c.title}: ${k.label}`));
  console.log(`\n${results.reduce((n, c) => n + c.checks.length, 0) - failed.length} targets met, ${failed.length} missed; ${info.seconds.toFixed(0)} s`);
  if (write) {
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify({ info, cases: results, repeats: perRepeat }, null, 2)}\n`);
    writeReports(results, info);
  }
}

/** Write `bench/RESULTS.md` (between its markers) and `docs/img/bench.svg`. */
function writeReports(results: readonly CaseResult[], info: RunInfo): void {
  const mdPath = join(root, 'bench/RESULTS.md');
  const start = '<!-- generated:start -->';
  const end = '<!-- generated:end -->';
  const generated = `${start}\n${markdown(results, info)}\n${end}`;
  const prev = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : `# Benchmark results\n\n${start}\n${end}\n`;
  const next = prev.includes(start) && prev.includes(end) ? prev.slice(0, prev.indexOf(start)) + generated + prev.slice(prev.indexOf(end) + end.length) : `${prev}\n${generated}\n`;
  writeFileSync(mdPath, next);
  mkdirSync(join(root, 'docs/img'), { recursive: true });
  writeFileSync(join(root, 'docs/img/bench.svg'), svgChart(results, info));
  console.log('wrote bench/RESULTS.md and docs/img/bench.svg');
}

await main();
}
