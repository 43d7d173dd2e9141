/**
 * Issue 18 item 6: a worker whose main never calls `workerTransport(worker)` must not wait
 * forever in `connectToMain()`. Across a real worker thread running the TypeScript source (tsx):
 * the wait ends with an `E_TIMEOUT` that names what it waited for, the worker stops listening
 * (so it exits by itself), a connection made in time is unaffected, and `timeout: 0` still waits.
 * Each spec bounds its own wait, since the code before the fix waited forever.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage } from '../support/workers.js';

/** tsx's ESM registration (what specs/support/ts-worker.mjs uses), by file URL. */
const tsx = new URL('../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url).href;
const entry = new URL('../../src/transports/worker.ts', import.meta.url).href;

/** The worker: call `connectToMain(options)` (no argument when `options` is undefined) and report how it ended. */
const body = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsx);
  register();
  const { connectToMain } = await import(workerData.entry);
  parentPort.postMessage({ started: true });
  const t0 = Date.now();
  const pending = setTimeout(() => parentPort.postMessage({ pending: true }), workerData.reportPendingAfter ?? 2 ** 31 - 1);
  try {
    const t = await (workerData.options === undefined ? connectToMain() : connectToMain(workerData.options));
    // Outlive the deadline: a timer left running would reject nothing, but must not fire either.
    await new Promise((r) => setTimeout(r, workerData.holdMs ?? 0));
    clearTimeout(pending);
    parentPort.postMessage({ connected: true, closed: t.isClosed, ms: Date.now() - t0 });
    t.close();
  } catch (e) {
    clearTimeout(pending);
    parentPort.postMessage({ failed: true, remoraCode: e && e.remoraCode, name: e && e.name, message: String(e && e.message), details: e && e.details, ms: Date.now() - t0 });
  }
})();`;

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function start(data: { options?: unknown; holdMs?: number; reportPendingAfter?: number }): { w: Worker; exited: Promise<number> } {
  const w = new Worker(body, { eval: true, workerData: { tsx, entry, ...data } });
  workers.push(w);
  const exited = new Promise<number>((r) => w.once('exit', r));
  return { w, exited };
}

describe('connectToMain() in a worker whose main never connects it (issue 18 item 6)', () => {
  it('rejects with E_TIMEOUT naming main\'s workerTransport(worker) once its timeout passes, and the worker then exits by itself', async () => {
    const { w, exited } = start({ options: { timeout: 300 } });
    const report = await nextMessage(w, (m) => m.failed || m.connected, 15_000);
    expect(report).toMatchObject({ failed: true, remoraCode: 'E_TIMEOUT', details: { ms: 300 } });
    expect(report.message).toContain("main's workerTransport(worker) on this worker");
    expect(report.message).toContain('connectToMain({ timeout })');
    expect(report.ms).toBeGreaterThanOrEqual(290);
    // No listener left on parentPort: nothing keeps the worker alive.
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5_000))]);
    expect(code).toBe(0);
  }, 30_000);

  it('gives up after 10 s by default', async () => {
    const { w } = start({});
    const report = await nextMessage(w, (m) => m.failed || m.connected, 25_000);
    expect(report).toMatchObject({ failed: true, remoraCode: 'E_TIMEOUT', details: { ms: 10_000 } });
    expect(report.ms).toBeGreaterThanOrEqual(9_900);
  }, 40_000);

  it('resolves when main connects before the deadline, and the deadline passing later changes nothing', async () => {
    const { w } = start({ options: { timeout: 1_500 }, holdMs: 2_000 });
    await nextMessage(w, (m) => m.started, 15_000);
    const main = workerTransport(w);
    const report = await nextMessage(w, (m) => m.failed || m.connected, 15_000);
    expect(report).toMatchObject({ connected: true, closed: false });
    main.close();
  }, 30_000);

  it('waits forever with timeout 0', async () => {
    const { w } = start({ options: { timeout: 0 }, reportPendingAfter: 800 });
    const report = await nextMessage(w, (m) => m.failed || m.connected || m.pending, 15_000);
    expect(report).toEqual({ pending: true });
  }, 30_000);
});
