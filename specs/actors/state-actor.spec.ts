import { describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { measureUpdate, stateActor, type ActionsOf } from '../../actors/state-actor.js';
import { isDeepFrozen } from '../fixtures/state-frozen.js';
import { createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { connect, connectState, replica, type Replica } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import type { Transport } from '../../src/transport.js';
import { createListActor, type ListActor, type ListState } from '../fixtures/state-list.js';
import { until } from '../support/workers.js';

type ListReplica = Replica<ListState, ActionsOf<ListActor>>;

/** A broker exposing a fresh list actor as global `list`, and `n` renderers over memory pairs. */
async function setup(n = 1, options?: BrokerOptions, wrap?: (main: Transport, i: number) => Transport) {
  const broker = createBroker(options);
  const store = createListActor();
  store.expose(broker, 'list');
  const clients = [];
  const replicas: ListReplica[] = [];
  for (let i = 0; i < n; i++) {
    const { main, renderer } = createMemoryPair();
    broker.connect(wrap ? wrap(main, i) : main);
    const client = connect(renderer, { name: `r${i}` });
    clients.push(client);
    replicas.push(await connectState<ListActor>(client, 'list'));
  }
  const converged = () => until(() => replicas.every((r) => r.version === store.version), 5000, 'replicas to converge');
  return { broker, store, clients, replicas, converged };
}

describe('state actor', () => {
  it('gives a new replica a snapshot of the current state and version', async () => {
    const { store, clients } = await setup(0);
    await store.dispatch('add', 'a', 'milk');
    await store.dispatch('rename', 'groceries');
    const { main, renderer } = createMemoryPair();
    const broker = createBroker();
    store.expose(broker, 'list');
    broker.connect(main);
    const r = await connectState<ListActor>(connect(renderer), 'list');
    expect(clients).toHaveLength(0);
    expect(r.version).toBe(2);
    expect(r.state).toEqual(store.state);
    expect(Object.isFrozen(r.state)).toBe(true);
    expect(r.stats).toEqual({ snapshots: 1, updates: 0, resyncs: 0 });
  });

  it('keeps every replica current with patch updates', async () => {
    const { store, replicas, converged } = await setup(2);
    await replicas[0]!.dispatch('add', 'a', 'milk');
    await replicas[1]!.dispatch('add', 'b', 'bread');
    await store.dispatch('toggle', 'a', 0);
    await converged();
    for (const r of replicas) {
      expect(r.state).toEqual(store.state);
      expect(r.stats.snapshots).toBe(1);
      expect(r.stats.updates).toBe(3);
    }
  });

  it('settles dispatch once main applied the action and this replica holds its result', async () => {
    const { store, replicas } = await setup(1);
    const r = replicas[0]!;
    const v = await r.dispatch('add', 'c', 'eggs');
    expect(v).toBe(1);
    expect(store.version).toBe(1);
    expect(r.version).toBe(1);
    expect(r.state!.lists.c[0]).toEqual({ id: 1, text: 'eggs', done: false });
  });

  it('sends the actions of one tick as one update in one frame', async () => {
    const { store, replicas, clients, converged } = await setup(1);
    const r = replicas[0]!;
    const frames: string[] = [];
    clients[0]!.connection.frames$.subscribe((f) => frames.push(String(f.t)));
    const changes = firstValueFrom(r.changes$.pipe(take(1), toArray()));
    for (let i = 0; i < 10; i++) void store.dispatch('bump', 1);
    void store.dispatch('add', 'a', 'x');
    await converged();
    expect(store.version).toBe(11);
    expect(r.stats.updates).toBe(1);
    expect(frames.filter((t) => t === 'next')).toHaveLength(1);
    const [change] = await changes;
    expect(change).toMatchObject({ kind: 'patch', version: 11, previous: { version: 0 } });
    expect(r.state!.counter).toBe(10);
  });

  it('keeps the identity of subtrees an update did not touch', async () => {
    const { replicas, converged } = await setup(1);
    const r = replicas[0]!;
    await r.dispatch('add', 'a', 'one');
    await r.dispatch('add', 'b', 'two');
    await converged();
    const before = r.state!;
    await r.dispatch('toggle', 'a', 0);
    const after = r.state!;
    expect(after).not.toBe(before);
    expect(after.lists).not.toBe(before.lists);
    expect(after.lists.a).not.toBe(before.lists.a);
    expect(after.lists.b).toBe(before.lists.b);
    expect(after.lists.c).toBe(before.lists.c);
    expect(after.meta).toBe(before.meta);
    expect(after.lists.a[0]!.done).toBe(true);
  });

  it('emits the current state on subscribe, and select emits only distinct values', async () => {
    const { replicas } = await setup(1);
    const r = replicas[0]!;
    const first = await firstValueFrom(r.state$);
    expect(first).toBe(r.state);
    const counts: number[] = [];
    const sub = r.select((s) => s.lists.a.length).subscribe((n) => counts.push(n));
    await r.dispatch('bump', 1);
    await r.dispatch('add', 'a', 'x');
    await r.dispatch('rename', 'other');
    await r.dispatch('add', 'a', 'y');
    sub.unsubscribe();
    expect(counts).toEqual([0, 1, 2]);
  });

  it('rejects an unregistered action with E_UNKNOWN_ACTION and leaves the state unchanged', async () => {
    const { store, replicas } = await setup(1);
    const r = replicas[0]!;
    const dispatch = r.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
    await expect(dispatch('nope', 1)).rejects.toMatchObject({ code: 'E_UNKNOWN_ACTION', name: 'RemoraError' });
    await expect(dispatch('__proto__')).rejects.toMatchObject({ code: 'E_UNKNOWN_ACTION' });
    await expect(dispatch('hasOwnProperty')).rejects.toMatchObject({ code: 'E_UNKNOWN_ACTION' });
    expect(store.version).toBe(0);
    expect(r.version).toBe(0);
  });

  it('rejects arguments that fail validation with E_INVALID_ARGS and leaves the state unchanged', async () => {
    const { store, replicas } = await setup(1);
    const r = replicas[0]!;
    const dispatch = r.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
    await expect(dispatch('add', 'z', 'milk')).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('expected (list') });
    await expect(dispatch('rename', '')).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('non-empty') });
    expect(store.version).toBe(0);
    expect(store.state.meta.title).toBe('untitled');
  });

  it('refuses arguments that are not plain data with E_INVALID_ARGS', async () => {
    const { store, replicas } = await setup(1);
    const dispatch = replicas[0]!.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
    await expect(dispatch('add', 'a', () => 'a function')).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('a function') });
    await expect(dispatch('bump', { deep: [{ fn: () => 1 }] })).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    class Thing {
      n = 1;
    }
    const mainDispatch = store.dispatch as (name: string, ...args: unknown[]) => Promise<number>;
    await expect(mainDispatch('bump', new Thing())).rejects.toMatchObject({ code: 'E_INVALID_ARGS', message: expect.stringContaining('Thing') });
    expect(store.version).toBe(0);
  });

  it('refuses a dispatch from inside a recipe, keeping the outer action', async () => {
    const broker = createBroker();
    let inner: Promise<number> | undefined;
    const s = stateActor({ n: 0 }, {
      outer(d) {
        d.n += 1;
        inner = s.dispatch('plain');
      },
      plain(d) {
        d.n += 100;
      },
    });
    s.expose(broker, 'reentrant');
    expect(await s.dispatch('outer')).toBe(1);
    await expect(inner).rejects.toMatchObject({ code: 'E_INVALID_ARGS' });
    expect(s.state).toEqual({ n: 1 });
  });

  it('gives a throwing recipe\'s error to its caller only; state unchanged, other renderers unaffected', async () => {
    const { store, replicas, converged } = await setup(2);
    const [r0, r1] = replicas as [ListReplica, ListReplica];
    await r0.dispatch('add', 'a', 'keep me');
    await converged();
    const before = store.state;
    await expect(r0.dispatch('boom', 'recipe failed')).rejects.toMatchObject({ message: 'recipe failed', code: 'EBOOM', remoraCode: 'E_TARGET_THREW' });
    expect(store.state).toBe(before);
    expect(store.version).toBe(1);
    expect(await r1.dispatch('bump', 2)).toBe(2);
    expect(await r0.dispatch('bump', 3)).toBe(3);
    await converged();
    expect(r0.state).toEqual(store.state);
    expect(r1.state).toEqual(store.state);
    expect(r1.state!.lists.a).toHaveLength(1);
    expect(r0.closed || r1.closed).toBe(false);
  });

  it('runs main-side dispatches through the actor mailbox', async () => {
    const { broker, store } = await setup(0);
    const ops: string[] = [];
    const sub = broker.inspect$.subscribe((e) => {
      if (e.kind === 'started' && e.actor === 'global/list') ops.push(String(e.op));
    });
    await store.dispatch('bump', 1);
    sub.unsubscribe();
    expect(ops).toEqual(['dispatch']);
    expect(store.boundActor?.path).toBe('global/list');
  });

  it('keeps its state when its supervisor restarts it after a failure', async () => {
    const broker = createBroker();
    const store = createListActor();
    store.expose(broker, 'list', { supervision: { strategy: 'restart' } });
    const restarted: string[] = [];
    broker.inspect$.subscribe((e) => e.kind === 'restarted' && restarted.push(String(e.actor)));
    await store.dispatch('add', 'a', 'survives');
    await expect(store.dispatch('boom', 'x')).rejects.toThrow('x');
    expect(restarted).toEqual(['global/list']);
    expect(await store.dispatch('bump', 1)).toBe(2);
    expect(store.state.lists.a[0]!.text).toBe('survives');
  });

  it('resyncs from a full snapshot when an update goes missing', async () => {
    let drop = false;
    const { store, replicas, converged } = await setup(1, undefined, (main) => {
      const send = main.send.bind(main);
      main.send = (m: unknown) => {
        if (!drop) return send(m);
        const f = m as { t: string; f?: { t: string }[] };
        if (f.t === 'next') {
          drop = false;
          return undefined;
        }
        if (f.t === 'batch' && f.f!.some((x) => x.t === 'next')) {
          drop = false;
          return send({ t: 'batch', f: f.f!.filter((x) => x.t !== 'next') });
        }
        return send(m);
      };
      return main;
    });
    const r = replicas[0]!;
    await r.dispatch('add', 'a', 'one');
    drop = true;
    await store.dispatch('add', 'b', 'lost on the wire');
    await new Promise((res) => setTimeout(res, 10));
    expect(r.version).toBe(1);
    await store.dispatch('add', 'c', 'three');
    await converged();
    expect(r.stats).toMatchObject({ resyncs: 1, snapshots: 2 });
    expect(r.state).toEqual(store.state);
    expect(store.subscriberCount).toBe(1);
  });

  it('starts over from a snapshot on resync() and keeps one subscription in main', async () => {
    const { store, replicas, converged } = await setup(1);
    const r = replicas[0]!;
    await r.dispatch('add', 'a', 'one');
    r.resync();
    r.resync();
    await r.dispatch('add', 'a', 'two');
    await converged();
    await until(() => store.subscriberCount === 1, 2000, 'old subscriptions to end');
    expect(r.state).toEqual(store.state);
    expect(r.stats.resyncs).toBe(2);
  });

  it('ends its subscriptions with the session', async () => {
    const { broker, store, clients, replicas } = await setup(2);
    const r0 = replicas[0]!;
    const ended = firstValueFrom(r0.state$.pipe(toArray())).catch((e) => e);
    expect(store.subscriberCount).toBe(2);
    clients[0]!.close();
    await until(() => store.subscriberCount === 1, 2000, 'the subscription to end');
    expect(await ended).toMatchObject({ code: 'E_CLOSED' });
    expect(r0.closed).toBe(true);
    expect(broker.stats().sessions).toBe(1);
    expect(await replicas[1]!.dispatch('bump', 1)).toBe(1);
  });

  it('completes state$ and stops updating after close()', async () => {
    const { store, replicas } = await setup(1);
    const r = replicas[0]!;
    const all = firstValueFrom(r.state$.pipe(toArray()));
    r.close();
    expect(await all).toHaveLength(1);
    await until(() => store.subscriberCount === 0, 2000, 'unsubscribe');
    await store.dispatch('bump', 1);
    expect(r.version).toBe(0);
  });

  it('replicates Map and Set state, frozen, with the identity of untouched entries', async () => {
    const broker = createBroker();
    const tags = stateActor({ byKey: new Map<string, Set<string>>([['x', new Set(['1'])]]), other: { n: 0 } }, {
      tag(d, key: string, value: string) {
        const set = d.byKey.get(key);
        if (set) set.add(value);
        else d.byKey.set(key, new Set([value]));
      },
      untag(d, key: string, value: string) {
        d.byKey.get(key)?.delete(value);
      },
    });
    tags.expose(broker, 'tags');
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const r = await connectState<typeof tags>(connect(renderer), 'tags');
    const before = r.state!;
    await r.dispatch('tag', 'y', 'a');
    await r.dispatch('tag', 'y', 'b');
    await r.dispatch('untag', 'y', 'a');
    expect(r.state).toEqual(tags.state);
    expect([...r.state!.byKey.get('y')!]).toEqual(['b']);
    expect(r.state!.byKey.get('x')).toBe(before.byKey.get('x'));
    expect(r.state!.other).toBe(before.other);
    expect(isDeepFrozen(r.state)).toBe(true);
    expect(isDeepFrozen(tags.state)).toBe(true);
  });

  it('freezes every published state, also containers whose changes cancelled out within a tick', async () => {
    const { store, replicas, converged } = await setup(1);
    void store.dispatch('add', 'a', 'gone again');
    void store.dispatch('remove', 'a', 0);
    void store.dispatch('bump', 1);
    await converged();
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(isDeepFrozen(replicas[0]!.state)).toBe(true);
    expect(replicas[0]!.state).toEqual(store.state);
  });

  it('refuses a value that is not a handle', () => {
    expect(() => replica({})).toThrow(TypeError);
  });

  it('types dispatch from the main-side actions', async () => {
    const { replicas } = await setup(1);
    const r = replicas[0]!;
    // @ts-expect-error: "toggle" takes (list, index)
    await expect(r.dispatch('toggle', 'a', 'zero')).resolves.toBe(0);
    // @ts-expect-error: not an action
    await expect(r.dispatch('nope')).rejects.toMatchObject({ code: 'E_UNKNOWN_ACTION' });
  });
});

describe('measureUpdate', () => {
  it('puts one changed field of a 10k-item state on the wire in a tiny fraction of a snapshot', () => {
    const big = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, text: `item ${i}`, done: false })) };
    const m = measureUpdate(big, (d) => {
      d.items[5000]!.done = true;
    });
    expect(m.patches).toEqual([{ op: 'replace', path: ['items', 5000, 'done'], value: true }]);
    expect(m.patchBytes).toBeLessThan(200);
    expect(m.snapshotBytes).toBeGreaterThan(300_000);
  });

  it('works for any state actor\'s state', () => {
    const s = stateActor({ n: 1 }, { inc: (d) => void d.n++ });
    const m = measureUpdate(s.state, (d) => {
      d.n = 2;
    });
    expect(m.next).toEqual({ n: 2 });
  });
});
