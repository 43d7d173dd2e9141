/**
 * Driving renderer workers: start a bundled worker script, send it commands, wait for its
 * answers, and run several implementations interleaved round by round (so a noisy neighbour
 * slows all of them alike, not one of them).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { join } from 'node:path';
import { pinThread } from './pin.js';

let nextRe = 1;

/** A worker running one of the bench client scripts. */
export class BenchWorker {
  readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  /** Resolves once the worker posted `{ ready: true }`. */
  readonly ready: Promise<void>;

  /**
   * @param cpu the CPU its thread is pinned to (bench/lib/pin.ts): 1, the renderers' core, unless
   *   the worker stands in for main's side (the blocking echo of the sync floor); `null` leaves
   *   it to the scheduler (the scale case's many renderers, which would otherwise share one core).
   */
  constructor(dir: string, script: string, workerData: unknown, transferList: TransferListItem[] = [], cpu: number | null = 1) {
    // execArgv: [] keeps tsx's loader (inherited from the bench process) out of the bundled workers.
    const prof = process.env.BENCH_CPU_PROF;
    const execArgv = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
    this.worker = new Worker(join(dir, script), { workerData, transferList, execArgv });
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: any): void => {
        if (m && m.ready === true) {
          this.worker.off('message', onReady);
          if (cpu !== null) pinThread(typeof m.tid === 'number' ? m.tid : undefined, cpu);
          resolve();
        }
      };
      this.worker.on('message', onReady);
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: any) => {
      if (!m || typeof m !== 'object' || typeof m.re !== 'number') return;
      const w = this.waiting.get(m.re);
      if (!w) return;
      this.waiting.delete(m.re);
      if (m.error) w.reject(new Error(`worker: ${m.error}`));
      else w.resolve(m);
    });
    const fail = (e: Error): void => {
      this.failure = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  /** Send a command; resolves with the worker's answer (`{ re, ...result }`). */
  ask<T = any>(cmd: Record<string, unknown>, timeoutMs = 60_000): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const re = nextRe++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(re);
        reject(new Error(`worker did not answer ${JSON.stringify(cmd)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(re, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.worker.postMessage({ ...cmd, re });
    });
  }

  /** Reserve a reply id for a second answer to a command (e.g. "armed", then "done"). */
  later<T = any>(timeoutMs = 60_000): { re: number; promise: Promise<T> } {
    const re = nextRe++;
    const promise = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(re);
        reject(new Error(`worker did not answer reply ${re} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(re, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
    return { re, promise };
  }

  /** Stop the worker. */
  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.worker.on('error', () => undefined);
    await this.worker.terminate();
  }
}

/** One contender of a case: a name and one timed run returning a figure. */
export interface Contender {
  readonly name: string;
  run(): Promise<number>;
}

/**
 * Run every contender untimed (`warmup` times and for at least `minWarmMs`, so both sides'
 * hot paths are optimized by the JIT), then `rounds` times, interleaved (round 1 of each,
 * then round 2 of each, ...). Returns the samples per contender, in order.
 */
export async function interleaved(contenders: readonly Contender[], rounds: number, warmup: number, minWarmMs = 1000): Promise<number[][]> {
  for (const c of contenders) {
    const end = Date.now() + minWarmMs;
    for (let i = 0; i < warmup || Date.now() < end; i++) await c.run();
  }
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    // Rotate the starting contender so none always runs right after a GC-heavy neighbour.
    for (let j = 0; j < contenders.length; j++) {
      const k = (j + r) % contenders.length;
      samples[k]!.push(await contenders[k]!.run());
    }
  }
  return samples;
}

/** Wait for `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until `cond()` holds, or throw after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A `gc()` function even without `--expose-gc` (flag set at runtime). */
export async function getGc(): Promise<() => void> {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
