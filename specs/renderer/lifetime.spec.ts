import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { tap } from 'rxjs';
import { createBroker } from '../../src/entries/main.js';
import type { Transport } from '../../src/transport.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCoreApi, makeProbe } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { collectGarbage, startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const N = 2000;

async function setup() {
  const probe = makeProbe();
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi(probe));
  const w = startRenderer('core-lifetime');
  workers.push(w);
  const releases: number[][] = [];
  const inner = workerTransport(w);
  const transport: Transport = {
    send: (m) => inner.send(m),
    messages$: inner.messages$.pipe(tap((m) => {
      const f = m as { t?: string; f?: Array<{ t?: string; refs?: number[] }>; refs?: number[] };
      for (const x of f.t === 'batch' ? f.f! : [f]) if (x.t === 'release') releases.push(x.refs!);
    })),
    closed$: inner.closed$,
    close: (r) => inner.close(r),
    replySync: (m) => inner.replySync!(m),
  };
  broker.connect(transport);
  const run = await commander(w);
  const baseline = broker.stats().refs;
  return { broker, probe, w, run, baseline, releases };
}

/** Collect garbage in the worker until main's ref table is back to `refs`. */
async function collectUntil(run: (cmd: string) => Promise<unknown>, done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    await run('collect');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('lifetime of remote objects, with real garbage collection', () => {
  it('has gc() in the renderer worker (vitest runs with --expose-gc)', async () => {
    const { run } = await setup();
    expect(await run('hasGc')).toBe('function');
  });

  it(`releases ${2 * N} dropped handles after GC: main's ref table returns to its baseline, in batched release frames`, async () => {
    const { broker, run, baseline, releases } = await setup();
    expect(baseline).toBe(1); // the "api" module root
    const made = await run('createAndDrop', N);
    expect(made.sum).toBe(2 * (N - 1));
    expect(broker.stats().refs).toBe(baseline + 2 * N);
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
    expect(await run('held')).toBe(1);
    // Releases are batched: far fewer frames than handles, and every ref released exactly once.
    const pairs = releases.flat();
    expect(pairs.length / 2).toBe(2 * N);
    expect(releases.length).toBeLessThan(2 * N / 10);
  });

  it('releases dropped sync (compatibility) handles after GC too', async () => {
    const { broker, run, baseline } = await setup();
    const made = await run('createAndDropSync', 500);
    expect(made.sum).toBe((499 * 500) / 2);
    expect(broker.stats().refs).toBeGreaterThan(baseline);
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
  });

  it('keeps an object alive while any session holds it', async () => {
    const probe = makeProbe();
    const broker = createBroker();
    broker.exposeModule('api', () => makeCoreApi(probe));
    const [a, b] = await Promise.all(['A', 'B'].map(async () => {
      const w = startRenderer('core-lifetime');
      workers.push(w);
      broker.connect(workerTransport(w));
      return commander(w);
    }));
    expect(await a!('takeShared')).toBe(101);
    expect(await b!('takeShared')).toBe(102);
    await a!('disposeShared');
    await until(() => broker.stats().refs === 3, 2000, 'A\'s release'); // two api roots + B's shared
    expect(await b!('useShared')).toBe(103);
  });

  it('keeps a remote object alive while a method taken from its handle, or a withOptions view of it, is reachable', async () => {
    const { run } = await setup();
    expect(await run('memberOutlivesRoot')).toEqual({ async: 2, sync: 11, view: 21 });
  });

  it('keeps objects whose handles are still reachable, and releases them once dropped', async () => {
    const { broker, run, baseline } = await setup();
    await run('keep', 100);
    await run('collect');
    await run('collect');
    expect(broker.stats().refs).toBe(baseline + 100);
    await run('dropKept');
    await collectUntil(run, () => broker.stats().refs === baseline);
    expect(broker.stats().refs).toBe(baseline);
  });

  it('keeps releasing dropped handles when the engine has stopped running finalizers', async () => {
    const { broker, run, baseline } = await setup();
    // Break FinalizationRegistry in the renderer's isolate first, the way V8 on Node 20 can.
    expect(await run('stallFinalizers')).toBe(true);
    let peak = 0;
    for (let round = 0; round < 10; round++) {
      await run('createAndDrop', 250); // 500 handles a round, none kept
      await run('collect');
      peak = Math.max(peak, broker.stats().refs - baseline);
    }
    // 5 000 handles went through. With no finalizer running, only the cache's own sweeps (when
    // it doubles) released them, so main never held more than about two sweeps' worth.
    expect(peak).toBeLessThanOrEqual(2048 + 500);
    expect(await run('sweep')).toBeGreaterThan(0);
    await until(() => broker.stats().refs === baseline, 2000, 'the swept releases to reach main');
    expect(await run('held')).toBe(1);
  });

  it('releases at once on handle[Symbol.dispose](), and the handle is unusable afterwards', async () => {
    const { broker, run, baseline } = await setup();
    const r = await run('disposeNow');
    expect(r).toEqual({ before: 2, after: 1, code: 'E_RELEASED' });
    await until(() => broker.stats().refs === baseline, 2000, 'release to reach main');
  });

  it('empties main\'s tables when the worker is terminated', async () => {
    const { broker, w, run } = await setup();
    await run('keep', 500);
    expect(broker.stats()).toMatchObject({ sessions: 1, refs: 501 });
    await w.terminate();
    await until(() => broker.stats().sessions === 0, 5000, 'session to close');
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0 });
  });

  it('lets main collect an object it kept only through the ref table once the renderer released it', async () => {
    const { broker, probe, run, baseline } = await setup();
    expect(await run('takeFresh')).toBe(7);
    expect(probe.weak).toHaveLength(1);
    await collectGarbage();
    expect(probe.weak[0]!.deref()).toBeDefined(); // the session's ref table holds it
    await run('disposeFresh');
    await until(() => broker.stats().refs === baseline, 2000, 'release to reach main');
    for (let i = 0; i < 10 && probe.weak[0]!.deref() !== undefined; i++) await collectGarbage();
    expect(probe.weak[0]!.deref()).toBeUndefined();
  });
});
