import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCoreApi } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function setup() {
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi());
  const w = startRenderer('deferred-results');
  workers.push(w);
  broker.connect(workerTransport(w));
  const run = await commander(w);
  return { broker, run, baseline: broker.stats().refs };
}

/** Collect garbage in the worker until `done()` (main's ref table is back where it should be). */
async function collectUntil(run: (cmd: string) => Promise<unknown>, done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    await run('collect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pipelined intermediate results nobody asked for', () => {
  it('makes no handle for them, and gives their refs back to main after GC', async () => {
    const { broker, run, baseline } = await setup();
    expect(baseline).toBe(1); // the "api" module root
    const r = await run('chains', 300);
    expect(r.sum).toBe(300 * 3);
    expect(r.held).toBe(1); // only the api handle: the 900 intermediate links never became handles
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
  });

  it('decodes an intermediate awaited after its chain settled, and releases it once dropped', async () => {
    const { broker, run, baseline } = await setup();
    const r = await run('awaitLater');
    expect(r).toEqual({ depth: 3, heldBefore: 1, heldAfter: 2, later: 1, next: 2 });
    await run('collect');
    // The awaited link is held (its handle is reachable); the two intermediates nobody asked for are not.
    expect(broker.stats().refs).toBe(baseline + 1);
    await run('dropLink');
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
  });

  it('keeps main\'s count right when an intermediate is an object the renderer holds a handle to', async () => {
    const { broker, run, baseline } = await setup();
    const r = await run('sharedThroughChains', 50);
    expect(r).toEqual({ start: 100, now: 150, held: 2 });
    await run('collect');
    // Fifty extra sends of the shared counter went back; the held handle's own receipt did not.
    expect(broker.stats().refs).toBe(baseline + 1);
    expect(await run('useShared')).toBe(150);
    await run('dropShared');
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
  });

  it('still gives their refs back when the engine has stopped running finalizers', async () => {
    const { broker, run, baseline } = await setup();
    expect(await run('stallFinalizers')).toBe(true);
    let peak = 0;
    for (let round = 0; round < 12; round++) {
      await run('chains', 100); // 300 intermediates a round
      await run('collect');
      peak = Math.max(peak, broker.stats().refs - baseline);
    }
    // 3 600 intermediates went through with no finalizer running; only the connection's own
    // sweeps (when it has 16 groups of 64 deferred results) released them, so main never held
    // more than the results since the last sweep plus one round and one group.
    expect(peak).toBeLessThanOrEqual(16 * 64 + 300 + 64);
    expect(await run('held')).toBe(1);
  });
});
