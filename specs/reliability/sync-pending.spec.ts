/**
 * Issue 16 item 8: frames marked `s: 1` were replied to at once with a promise marker and left
 * the in-flight table, so they escaped `maxPending` (50 000 handlers ran for one session with
 * a limit of 10 000) and were never aborted when their renderer left. A hostile renderer in a
 * real worker thread sends them as raw async frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { callContext } from '../../src/main/index.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer, until } from '../support/workers.js';
import { measure } from './figures.js';
import type { Worker } from 'node:worker_threads';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

describe('sync frames and maxPending', () => {
  it('counts s:1 calls whose handler is still running against maxPending, and aborts them when the session ends', async () => {
    const maxPending = 200;
    const broker = createBroker({ limits: { maxPending } });
    let started = 0;
    let aborted = 0;
    broker.exposeModule('svc', () => ({
      add: (a: number, b: number) => a + b,
      wait: () => {
        started++;
        const signal = callContext()!.signal;
        return new Promise<never>(() => signal.addEventListener('abort', () => aborted++));
      },
    }), { mailbox: { maxConcurrent: 100_000 } });
    const w = startRenderer('hostile');
    workers.push(w);
    broker.connect(workerTransport(w));
    const run = await commander(w);
    expect(await run('hello')).toBe(true);
    const m = measure('item 8: 2 000 s:1 frames of a never-settling handler, maxPending 200');
    await run('syncFlood', 2_000);
    // Replies to s:1 frames go on the sync channel; an async call after them shows they were all handled.
    await run('flood', 1);
    const seen = async () => (await run('counts')) as { answered: number };
    let c = await seen();
    for (let i = 0; i < 400 && c.answered < 2; i++) c = await seen();
    const f = m.stop();
    console.log(`[figures] item 8: handlers started ${started} (limit ${maxPending}), pending ${broker.stats().pending}`);
    expect(c.answered).toBe(2);
    expect(started).toBeLessThanOrEqual(maxPending);
    expect(broker.stats().pending).toBe(started);
    await w.terminate();
    await until(() => broker.stats().sessions === 0, 5_000, 'session end');
    await until(() => aborted === started, 5_000, 'aborts');
    expect(aborted).toBe(started);
    expect(broker.stats().pending).toBe(0);
    expect(f.maxStallMs).toBeLessThan(2_000);
  }, 60_000);
});
