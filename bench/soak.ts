/**
 * Soak: many renderer sessions opened, used and closed against one broker, to show that
 * main does not grow. Each cycle connects a renderer over a memory pair (structured-clone
 * on), requires a module, makes async and sync calls, passes a callback, holds and releases
 * a handle, adds a listener through a handle, subscribes to an emitter event and to an
 * Observable, receives values on both, and closes. Every `sampleEvery` cycles the heap
 * (after full GCs) and main's tables are sampled; after warm-up every heap sample must stay
 * within ±`tolerance` of the post-warm-up median, the last quarter's median within ±`tolerance`
 * of the first quarter's (drift), and the tables must be at baseline (zero) at every sample.
 *
 * Run: `npm run soak` (10 000 cycles; `-- --cycles 2000` for fewer). Writes
 * `soak-results/soak.json`. Memory pairs rather than worker threads: a worker costs ~30 ms
 * to start, so 10k worker cycles would take minutes; `specs/reliability/killed-renderers`
 * covers real workers coming and going.
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { firstValueFrom, Observable, Subject } from 'rxjs';
import { type Actor, createBroker, type BrokerStats } from '../src/entries/main.js';
import { connect, fromRemoteEvent, release } from '../src/renderer/index.js';
import { createMemoryPair } from '../src/transports/memory.js';
import { finalizersStalled } from '../specs/support/finalizer-stall.js';

/** Soak settings. */
export interface SoakOptions {
  /** Open/use/close cycles. Default 10 000. */
  cycles?: number;
  /** Cycles before the heap reference is taken. Default 20% of `cycles`. */
  warmup?: number;
  /** Sample every this many cycles. Default `cycles / 40`. */
  sampleEvery?: number;
  /** Allowed heap drift after warm-up, as a fraction. Default 0.05 (±5%). */
  tolerance?: number;
  /** Progress lines go here. Default: nothing. */
  log?: (line: string) => void;
  /** Called after each sample (e.g. to write a heap snapshot). */
  onSample?: (sample: SoakSample) => void | Promise<void>;
}

/** One sample. */
export interface SoakSample {
  cycle: number;
  /** Bytes of JavaScript objects on the heap (V8 heap spaces without code) after full GCs. */
  heapUsed: number;
  /** Main's tables summed over live sessions (all zero between cycles). */
  tables: BrokerStats;
  /** Listeners left on the shared emitter. */
  emitterListeners: number;
  /** Subscribers left on the shared Observable. */
  observers: number;
  /** Messages waiting or running in the module's actor. */
  actorBacklog: number;
}

/** The outcome. */
export interface SoakResult {
  cycles: number;
  transport: 'memory';
  durationMs: number;
  cyclesPerSecond: number;
  warmup: number;
  tolerance: number;
  samples: SoakSample[];
  /** After warm-up: median, extremes, largest deviation from the median, last-quarter vs first-quarter drift (fractions). */
  heap: { reference: number; min: number; max: number; maxDeviation: number; drift: number };
  /** Every sample had main's tables, listeners, observers and backlog at zero. */
  tablesAtBaseline: boolean;
  /**
   * V8 still ran FinalizationRegistry callbacks after the last cycle. Registries that die with
   * their connection can stop them for the whole isolate on Node 20, after which nothing that
   * relies on them is released; remora must never cause that.
   */
  finalizersRunning: boolean;
  heapFlat: boolean;
  pass: boolean;
}

/** The module every soak session uses. */
function makeSoakApi(tick$: Subject<number>, counters: { observers: number }) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    add: (a: number, b: number) => a + b,
    echo: <T>(v: T) => v,
    emitter,
    makeCounter: (start: number) => ({ n: start, inc(by: number) { return (this.n += by); } }),
    callMeBack(fn: (v: number) => void, v: number) {
      fn(v);
    },
    ticks: () =>
      new Observable<number>((s) => {
        counters.observers++;
        const sub = tick$.subscribe(s);
        return () => {
          counters.observers--;
          sub.unsubscribe();
        };
      }),
  };
}
type SoakApi = ReturnType<typeof makeSoakApi>;

function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  // Last resort: turning the flag on at run time works, but skews the heap figures (a soak run
  // this way drifted upward by ~250 B/cycle where a run started with --expose-gc stayed flat),
  // so `main()` re-runs itself with --expose-gc instead.
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));


function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`soak cycle went wrong: ${what}`);
}

/** Run the soak and return the figures (does not write files). */
export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const cycles = options.cycles ?? 10_000;
  const warmup = options.warmup ?? Math.floor(cycles * 0.2);
  const sampleEvery = options.sampleEvery ?? Math.max(1, Math.floor(cycles / 40));
  const tolerance = options.tolerance ?? 0.05;
  const log = options.log ?? (() => undefined);
  const gc = getGc();

  const broker = createBroker();
  const tick$ = new Subject<number>();
  const counters = { observers: 0 };
  const actor: Actor = broker.exposeModule('api', () => makeSoakApi(tick$, counters));
  const instance = (): SoakApi => actor.instance as SoakApi;

  const samples: SoakSample[] = [];
  const sample = async (cycle: number): Promise<void> => {
    await settle();
    await settle();
    for (let i = 0; i < 3; i++) {
      gc();
      await settle();
    }
    const s: SoakSample = {
      cycle,
      heapUsed: objectHeapUsed(),
      tables: broker.stats(),
      emitterListeners: actor.instance ? instance().emitter.listenerCount('ev') + instance().emitter.listenerCount('tick') : 0,
      observers: counters.observers,
      actorBacklog: actor.queued + actor.running,
    };
    samples.push(s);
    await options.onSample?.(s);
    log(`cycle ${String(cycle).padStart(6)}  heap ${(s.heapUsed / 1048576).toFixed(2)} MiB  sessions ${s.tables.sessions} refs ${s.tables.refs} pending ${s.tables.pending} listeners ${s.emitterListeners} observers ${s.observers}`);
  };

  const started = performance.now();
  for (let i = 1; i <= cycles; i++) {
    const pair = createMemoryPair();
    broker.connect(pair.main);
    const client = connect(pair.renderer, { name: `soak-${i}` });
    const api = await client.require<SoakApi>('api');
    check((await api.add(i, 1)) === i + 1, 'async add');
    check(client.remote.require<SoakApi>('api').add(i, 2) === i + 2, 'sync add');
    const echoed = (await api.echo({ i, tags: ['a', 'b'], when: new Date(0) })) as { i: number; tags: string[] };
    check(echoed.i === i && echoed.tags.length === 2, 'echo');
    // A callback main calls.
    const called = new Promise<number>((r) => void api.callMeBack((v) => r(v), i));
    check((await called) === i, 'callback');
    // A handle held, used and released.
    const counter = await api.makeCounter(i);
    check((await counter.inc(1)) === i + 1, 'handle');
    release(counter);
    // A listener added through a handle, an event stream and an Observable.
    const emitter = await api.emitter;
    await emitter.on('ev', () => undefined);
    const event = firstValueFrom(fromRemoteEvent<number>(emitter, 'tick'));
    const ticks = (await api.ticks()) as unknown as Observable<number>;
    const tickValue = new Promise<number>((r) => {
      const sub = ticks.subscribe((v) => {
        r(v);
        sub.unsubscribe();
      });
    });
    const keep = ticks.subscribe({ error: () => undefined }); // left open: the session's end must close it
    await settle();
    await settle();
    instance().emitter.emit('tick', i);
    tick$.next(i);
    check((await event) === i, 'event stream');
    check((await tickValue) === i, 'observable');
    check(!keep.closed, 'open subscription');
    client.close();
    if (i % sampleEvery === 0 || i === cycles) await sample(i);
  }
  const durationMs = performance.now() - started;
  const finalizersRunning = !(await finalizersStalled(gc));

  const after = samples.filter((s) => s.cycle > warmup);
  const heaps = after.map((s) => s.heapUsed);
  if (heaps.length === 0) heaps.push(samples[samples.length - 1]!.heapUsed);
  const median = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  // Reference: the median after warm-up (one GC sample can land high or low by a few %).
  const reference = median(heaps);
  const min = Math.min(...heaps);
  const max = Math.max(...heaps);
  const maxDeviation = Math.max(...heaps.map((h) => Math.abs(h - reference) / reference));
  // Trend: the last quarter against the first quarter after warm-up (a leak shows here).
  const quarter = Math.max(1, Math.floor(heaps.length / 4));
  const drift = (median(heaps.slice(-quarter)) - median(heaps.slice(0, quarter))) / reference;
  const tablesAtBaseline = samples.every(
    (s) => s.tables.sessions === 0 && s.tables.refs === 0 && s.tables.pending === 0 && s.tables.callbacks === 0 && s.tables.listeners === 0 &&
      s.tables.subscriptions === 0 && s.tables.pipes === 0 && s.emitterListeners === 0 && s.observers === 0 && s.actorBacklog === 0,
  );
  const heapFlat = maxDeviation <= tolerance && Math.abs(drift) <= tolerance;
  return {
    cycles,
    transport: 'memory',
    durationMs,
    cyclesPerSecond: cycles / (durationMs / 1000),
    warmup,
    tolerance,
    samples,
    heap: { reference, min, max, maxDeviation, drift },
    tablesAtBaseline,
    finalizersRunning,
    heapFlat,
    pass: tablesAtBaseline && heapFlat && finalizersRunning,
  };
}

/**
 * Bytes of JavaScript objects on the heap: V8's heap spaces without the code spaces. Compiled
 * code and deopt data keep growing while the JIT optimises the cycle's functions, which says
 * nothing about leaked objects (a heap-snapshot diff over 8 000 cycles showed only code and
 * V8-internal arrays growing), so the flatness check leaves them out.
 */
function objectHeapUsed(): number {
  let total = 0;
  for (const s of v8.getHeapSpaceStatistics()) if (!s.space_name.startsWith('code_')) total += s.space_used_size;
  return total;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

async function main(): Promise<void> {
  const root = process.env.REMORA_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  if (!process.env.REMORA_SOAK_BUNDLED) {
    // Measure remora as it ships: bundled with esbuild and run by plain node under --expose-gc
    // (the heap figures need real full GCs). Under a TypeScript loader such as tsx the loader's
    // own caches grow with every error stack it maps, which is not remora's memory.
    const bundle = join(root, 'bench', '.tmp', 'soak.mjs');
    await build({ entryPoints: [fileURLToPath(import.meta.url)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['esbuild'], logLevel: 'warning' });
    const r = spawnSync(process.execPath, ['--expose-gc', bundle, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, REMORA_SOAK_BUNDLED: '1', REMORA_ROOT: root },
    });
    process.exitCode = r.status ?? 1;
    return;
  }
  const cycles = Number(argValue('cycles') ?? 10_000);
  console.log(`remora soak: ${cycles} session open/use/close cycles over memory pairs (node ${process.version})`);
  const result = await runSoak({ cycles, log: (l) => console.log(`  ${l}`) });
  const out = join(root, 'soak-results', 'soak.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...result }, null, 2));
  const mib = (b: number): string => (b / 1048576).toFixed(2);
  console.log(
    `\n${result.cycles} cycles in ${(result.durationMs / 1000).toFixed(1)} s (${result.cyclesPerSecond.toFixed(0)}/s). ` +
      `Heap after warm-up (${result.warmup} cycles): median ${mib(result.heap.reference)} MiB, min ${mib(result.heap.min)}, max ${mib(result.heap.max)}, ` +
      `max deviation ${(result.heap.maxDeviation * 100).toFixed(2)}%, drift ${(result.heap.drift * 100).toFixed(2)}% (limit ±${result.tolerance * 100}%). ` +
      `Tables at baseline at every sample: ${result.tablesAtBaseline}. Finalizers still running: ${result.finalizersRunning}.`,
  );
  console.log(`${result.pass ? 'PASS' : 'FAIL'}  (written to ${out})`);
  if (!result.pass) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
