/**
 * Renderer side of the compat probes, shared by the worker-thread fixture and the Electron
 * stand-in page: answer each probe request on `parentPort` by running its function source with
 * a {@link ProbeContext}, and post back the result or how it threw.
 */
import { parentPort } from 'node:worker_threads';
import { inspect } from 'node:util';
import { release, setRemote, toAsync, toSync, type CompatRemote, type RemoraClient } from 'remora/renderer';
import type { Caught, ProbeContext, ProbeReply, ProbeRequest } from './probe-types.js';

/** How a thrown value looks, as data. */
export function describeThrown(e: unknown): Caught {
  if (!(e instanceof Error)) return { threw: true, isError: false, value: String(e) };
  const x = e as Error & { code?: unknown; remoraCode?: unknown };
  return {
    threw: true,
    isError: true,
    name: x.name,
    message: x.message,
    stack: x.stack,
    code: typeof x.code === 'string' ? x.code : undefined,
    remoraCode: typeof x.remoraCode === 'string' ? x.remoraCode : undefined,
  };
}

/** Build the context probes receive. */
export function probeContext(remote: CompatRemote, client: RemoraClient): ProbeContext {
  return {
    remote,
    client,
    toAsync,
    toSync,
    release,
    setRemote,
    inspect: (v) => inspect(v, { depth: 1 }),
    gc: () => (globalThis as { gc?: () => void }).gc?.(),
    caught: (fn) => {
      try {
        return { threw: false, value: fn() };
      } catch (e) {
        return describeThrown(e);
      }
    },
    caughtAsync: async (fn) => {
      try {
        return { threw: false, value: await fn() };
      } catch (e) {
        return describeThrown(e);
      }
    },
    post: (m) => parentPort!.postMessage({ __probeEvent: true, ...(m as object) }),
  };
}

/** Answer probe requests with `ctx`, then tell the spec the renderer is ready. */
export function serveProbes(ctx: ProbeContext): void {
  parentPort!.on('message', async (m: ProbeRequest) => {
    if (!m || typeof m.__probe !== 'number') return;
    let reply: ProbeReply;
    try {
      const fn = new Function(`return (${m.source});`)() as (c: ProbeContext, ...a: unknown[]) => unknown;
      reply = { __probe: m.__probe, ok: true, result: await fn(ctx, ...m.args) };
    } catch (e) {
      reply = { __probe: m.__probe, ok: false, error: describeThrown(e) };
    }
    try {
      parentPort!.postMessage(reply);
    } catch (e) {
      parentPort!.postMessage({ __probe: m.__probe, ok: false, error: { threw: true, isError: true, name: 'DataCloneError', message: `probe result cannot be posted: ${String(e)}` } });
    }
  });
  parentPort!.postMessage({ __probeReady: true });
}
