/**
 * Spec side of the compat probes: start a probe renderer in a real worker thread against a
 * broker in the spec's process, and run functions in it (`probe(w, (ctx) => ...)`), the way
 * @electron/remote's suite runs scripts in a window. A probe must be self-contained (it is sent
 * as source) and return structured-clonable data.
 */
import type { Worker } from 'node:worker_threads';
import type { Broker } from 'remora/main';
import { workerTransport } from 'remora/transports/worker';
import { startRenderer } from '../../support/workers.js';
import type { Caught, ProbeContext, ProbeReply } from './probe-types.js';

export type { Caught, ProbeContext };

const started: Worker[] = [];

/** Terminate every probe renderer started so far (call from `afterEach`). */
export async function stopProbes(): Promise<void> {
  const ws = started.splice(0);
  await Promise.all(ws.map((w) => w.terminate()));
}

/** A running probe renderer. */
export interface ProbeRenderer {
  readonly worker: Worker;
  /** Run `fn` in the renderer with `args`; resolves with its result, rejects with its error. */
  run<A extends unknown[], R>(fn: (ctx: ProbeContext, ...args: A) => R | Promise<R>, ...args: A): Promise<R>;
}

/** An error a probe threw, rethrown in the spec with the renderer's fields. */
export class ProbeError extends Error {
  constructor(readonly caught: Caught) {
    super(caught.message ?? caught.value as string);
    this.name = caught.name ?? 'ProbeError';
  }
}

let seq = 0;

/** Start the probe renderer connected to `broker` over the worker transport; resolves once it is ready. */
export async function probeRenderer(broker: Broker, workerData?: unknown): Promise<ProbeRenderer> {
  const worker = startRenderer('compat-probe', workerData);
  started.push(worker);
  const ready = whenReady(worker);
  broker.connect(workerTransport(worker));
  await ready;
  return probesOf(worker);
}

/** Resolves when the probe renderer in `worker` said it is ready. */
export function whenReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMsg = (m: { __probeReady?: boolean }): void => {
      if (m && m.__probeReady) {
        worker.off('message', onMsg);
        resolve();
      }
    };
    worker.on('message', onMsg);
    worker.once('error', reject);
  });
}

/** Run probes in the (ready) probe renderer of `worker`. */
export function probesOf(worker: Worker): ProbeRenderer {
  const run: ProbeRenderer['run'] = (fn, ...args) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      const onMsg = (m: ProbeReply): void => {
        if (!m || m.__probe !== id) return;
        cleanup();
        if (m.ok) resolve(m.result as never);
        else reject(new ProbeError(m.error));
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`probe renderer exited (code ${code})`));
      };
      const cleanup = (): void => {
        worker.off('message', onMsg);
        worker.off('exit', onExit);
      };
      worker.on('message', onMsg);
      worker.on('exit', onExit);
      worker.postMessage({ __probe: id, source: fn.toString(), args });
    });
  return { worker, run };
}
