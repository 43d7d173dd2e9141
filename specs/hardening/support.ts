/**
 * Shared plumbing of the hardening specs: hostile renderers in real worker threads (the
 * `hardening` fixture) connected to a broker, and detectors for what must never happen in
 * main (an unhandled rejection or an uncaught exception).
 */
import type { Worker } from 'node:worker_threads';
import type { Broker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer } from '../support/workers.js';

/** What a renderer saw of one call or read. */
export interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; remoraCode?: string; code?: string; stack?: string };
}

/** A connected hostile renderer: `run(cmd, ...args)` runs a fixture command. */
export async function hostileRenderer(broker: Broker, workers: Worker[], name = 'hardening') {
  const w = startRenderer('hardening', { name });
  workers.push(w);
  const session = broker.connect(workerTransport(w));
  const run = await commander(w);
  return { worker: w, session, run };
}

/**
 * Record every unhandled rejection and uncaught exception while installed. Vitest would
 * report them too, but only after the spec: the detector lets a spec assert on them.
 */
export function crashDetector() {
  const seen: unknown[] = [];
  const onRejection = (e: unknown): void => void seen.push(e);
  const onException = (e: unknown): void => void seen.push(e);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    /** Text of what was seen, for the assertion message. */
    text: (): string[] => seen.map((e) => { try { return String((e as Error)?.stack ?? e); } catch { return typeof e; } }),
    dispose(): void {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** Let pending timers and microtasks run (unhandled rejections surface after a macrotask). */
export const settle = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));
