/**
 * State actors with renderers in real worker threads: patch updates, batching per tick,
 * resync after a renderer fell behind, reload, and bad actions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { createListActor } from '../fixtures/state-list.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function setup(options?: BrokerOptions) {
  const broker = createBroker(options);
  const store = createListActor();
  store.expose(broker, 'list');
  return { broker, store };
}

async function start(broker: ReturnType<typeof createBroker>, name: string) {
  const w = startRenderer('state-list', { name });
  workers.push(w);
  broker.connect(workerTransport(w));
  const ready = await nextMessage(w, (m) => m.ready);
  const run = async (cmd: string, ...args: unknown[]): Promise<any> => {
    const reply = nextMessage(w, (m) => 'ok' in m);
    w.postMessage({ cmd, args });
    const r = await reply;
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.result;
  };
  return { w, run, ready };
}

const macrotask = () => new Promise((r) => setImmediate(r));

describe('state actor with worker renderers', () => {
  it('keeps replicas in two worker threads equal to main, by patches after one snapshot', async () => {
    const { broker, store } = setup();
    const a = await start(broker, 'a');
    const b = await start(broker, 'b');
    expect(a.ready.version).toBe(0);
    expect((await a.run('dispatch', 'add', 'a', 'milk')).version).toBe(1);
    expect((await b.run('dispatch', 'add', 'b', 'bread')).version).toBe(2);
    await store.dispatch('rename', 'shopping');
    for (const r of [a, b]) {
      const v = await r.run('waitVersion', 3);
      expect(v.version).toBe(3);
      expect(v.state).toEqual(store.state);
      expect(v.stats).toEqual({ snapshots: 1, updates: 3, resyncs: 0 });
    }
  });

  it('settles a worker\'s dispatch only once its replica holds the result', async () => {
    const { broker } = setup();
    const a = await start(broker, 'a');
    const r = await a.run('dispatch', 'add', 'c', 'eggs');
    expect(r.replicaVersion).toBe(r.version);
    expect(r.state.lists.c).toEqual([{ id: 1, text: 'eggs', done: false }]);
  });

  it('keeps the identity of untouched subtrees in a worker replica', async () => {
    const { broker, store } = setup();
    await store.dispatch('add', 'a', 'one');
    await store.dispatch('add', 'a', 'two');
    await store.dispatch('add', 'b', 'three');
    const a = await start(broker, 'a');
    expect(await a.run('identity')).toEqual({ root: false, listsA: false, itemA0: false, itemA1: true, listsB: true, meta: true });
  });

  it('sends the actions of one tick as one update in one frame to every renderer', async () => {
    const { broker, store } = setup();
    const a = await start(broker, 'a');
    const b = await start(broker, 'b');
    const burst = Array.from({ length: 20 }, (_, i) => (i % 2 ? ['bump', 1] : ['add', 'a', `item ${i}`]));
    const r = await a.run('burst', burst);
    expect(r.versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.after.stats.updates - r.before.stats.updates).toBe(1);
    expect(r.after.nextFrames - r.before.nextFrames).toBe(1);
    expect(r.after.emissions - r.before.emissions).toBe(1);
    const bv = await b.run('waitVersion', 20);
    expect(bv.stats.updates).toBe(1);
    expect(bv.nextFrames).toBe(1); // counted after the snapshot: one update
    expect(bv.state).toEqual(store.state);
    // Main-side dispatches in one tick coalesce the same way.
    for (let i = 0; i < 10; i++) void store.dispatch('bump', 1);
    const after = await b.run('waitVersion', 30);
    expect(after.stats.updates).toBe(2);
    expect(after.state.counter).toBe(20);
  });

  it('gives a throwing recipe\'s error to the dispatching worker only; the state and the other worker are unaffected', async () => {
    const { broker, store } = setup();
    const a = await start(broker, 'a');
    const b = await start(broker, 'b');
    await a.run('dispatch', 'add', 'a', 'keep me');
    const before = store.state;
    const r = await a.run('dispatch', 'boom', 'recipe exploded');
    expect(r.error).toMatchObject({ message: 'recipe exploded', code: 'EBOOM', remoraCode: 'E_TARGET_THREW' });
    expect(store.state).toBe(before);
    expect(store.version).toBe(1);
    expect((await b.run('dispatch', 'bump', 5)).version).toBe(2);
    expect((await a.run('dispatch', 'bump', 1)).version).toBe(3);
    for (const w of [a, b]) {
      const v = await w.run('waitVersion', 3);
      expect(v.state).toEqual(store.state);
      expect(v.state.lists.a).toHaveLength(1);
      expect(v.stats.resyncs).toBe(0);
      expect(v.closed).toBe(false);
    }
  });

  it('answers an unknown action and invalid arguments with typed errors across the thread boundary', async () => {
    const { broker, store } = setup();
    const a = await start(broker, 'a');
    expect((await a.run('dispatch', 'explode')).error).toMatchObject({ name: 'RemoraError', code: 'E_UNKNOWN_ACTION' });
    expect((await a.run('dispatch', 'add', 'nowhere', 'x')).error).toMatchObject({ name: 'RemoraError', code: 'E_INVALID_ARGS' });
    expect((await a.run('dispatch', 'rename', 42)).error).toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(store.version).toBe(0);
  });

  it('resyncs from a snapshot when updates were dropped while the renderer was frozen (drop-oldest)', async () => {
    const { broker, store } = setup({ limits: { streamWindow: 1, streamBuffer: 1, overflow: 'drop-oldest' } });
    const a = await start(broker, 'a');
    const flag = new SharedArrayBuffer(4);
    const frozen = nextMessage(a.w, (m) => m.frozen);
    const thawed = nextMessage(a.w, (m) => 'ok' in m);
    a.w.postMessage({ cmd: 'freeze', args: [flag] });
    await frozen;
    for (let i = 0; i < 5; i++) {
      await store.dispatch('add', 'b', `while frozen ${i}`);
      await macrotask(); // one update per tick: five updates
    }
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    await thawed;
    const v = await a.run('waitVersion', 5);
    expect(v.version).toBe(5);
    expect(v.state).toEqual(store.state);
    expect(v.stats.resyncs).toBe(1);
    expect(v.stats.snapshots).toBe(2);
    await until(() => store.subscriberCount === 1, 2000, 'the old subscription to end');
  });

  it('resubscribes from a snapshot when its stream overflowed (error policy)', async () => {
    const { broker, store } = setup({ limits: { streamWindow: 1, streamBuffer: 1, overflow: 'error' } });
    const a = await start(broker, 'a');
    const flag = new SharedArrayBuffer(4);
    const frozen = nextMessage(a.w, (m) => m.frozen);
    const thawed = nextMessage(a.w, (m) => 'ok' in m);
    a.w.postMessage({ cmd: 'freeze', args: [flag] });
    await frozen;
    for (let i = 0; i < 4; i++) {
      await store.dispatch('bump', 1);
      await macrotask();
    }
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    await thawed;
    const v = await a.run('waitVersion', 4);
    expect(v.state).toEqual(store.state);
    expect(v.stats.resyncs).toBe(1);
    expect(v.closed).toBe(false);
    expect((await a.run('dispatch', 'bump', 1)).version).toBe(5);
  });

  it('ends the subscription when a renderer reloads; the new page starts from a snapshot of the current state', async () => {
    const { broker, store } = setup();
    const a = await start(broker, 'a');
    const b = await start(broker, 'b');
    await a.run('dispatch', 'add', 'a', 'before reload');
    expect(store.subscriberCount).toBe(2);
    await a.w.terminate(); // the reload
    await until(() => store.subscriberCount === 1 && broker.stats().sessions === 1, 5000, 'the session to end');
    expect(broker.stats().subscriptions).toBe(1);
    await b.run('dispatch', 'add', 'b', 'during reload');
    const again = await start(broker, 'a2');
    expect(again.ready.version).toBe(2);
    const v = await again.run('view');
    expect(v.state).toEqual(store.state);
    expect(v.stats).toEqual({ snapshots: 1, updates: 0, resyncs: 0 });
    expect((await again.run('dispatch', 'toggle', 'a', 0)).version).toBe(3);
    expect((await b.run('waitVersion', 3)).state).toEqual(store.state);
  });
});
