/**
 * Freezing only what changed (src/contracts/state-freeze.ts): the state actor and its replica
 * no longer deep-walk the whole state per update, and must still publish and hold deeply
 * frozen states: values added deep inside, values inside Maps and Sets, and the copies immer
 * keeps without a patch (a container changed and changed back inside one recipe).
 */
import { describe, expect, it } from 'vitest';
import { Immer, enablePatches, freeze } from 'immer';
import { stateActor } from '../../actors/state-actor.js';
import { freezeAlongPatches, freezeChanged } from '../../src/contracts/state-freeze.js';
import { createBroker } from '../../src/entries/main.js';
import { connect, connectState } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { isDeepFrozen } from '../fixtures/state-frozen.js';

enablePatches();
const immer = new Immer({ autoFreeze: false, useStrictIteration: false });

interface Deep {
  tree: { branches: { leaves: { tags: string[]; meta?: { note: string; at: number[] } }[] }[] };
  byKey: Map<string, { n: number; list: number[] }>;
  tags: Set<string>;
  flag: number;
  items: { id: number; done: boolean }[];
}

function deepActor() {
  const initial: Deep = {
    tree: { branches: [{ leaves: [{ tags: ['x'] }, { tags: [] }] }] },
    byKey: new Map([['k', { n: 0, list: [1] }]]),
    tags: new Set(['t']),
    flag: 0,
    items: Array.from({ length: 50 }, (_, id) => ({ id, done: false })),
  };
  return stateActor(initial, {
    annotate(d, note: string) {
      d.tree.branches[0]!.leaves[1]!.meta = { note, at: [1, 2, 3] };
    },
    keyed(d, key: string, n: number) {
      d.byKey.set(key, { n, list: [n, n + 1] });
      d.byKey.get('k')!.list.push(n);
    },
    tag(d, t: string) {
      d.tags.add(t);
    },
    // Changes items[3] and changes it back, then bumps a flag: immer keeps the copies of the
    // array and of the item without a patch naming them.
    flipBack(d) {
      d.items[3]!.done = true;
      d.items[3]!.done = false;
      d.flag++;
    },
    replaceAll(_d, flag: number) {
      return { tree: { branches: [] }, byKey: new Map(), tags: new Set(), flag, items: [{ id: 0, done: true }] };
    },
  });
}

async function connected() {
  const broker = createBroker();
  const store = deepActor();
  store.expose(broker, 'deep');
  const { main, renderer } = createMemoryPair();
  broker.connect(main);
  const r = await connectState<ReturnType<typeof deepActor>>(connect(renderer), 'deep');
  return { store, r };
}

describe('freezing what changed', () => {
  it('freezes a value added deep inside, in the published state and in the replica', async () => {
    const { store, r } = await connected();
    const published: unknown[] = [];
    store.changes$.subscribe((c) => published.push(c.state));
    const before = r.state;
    await r.dispatch('annotate', 'hello');
    const meta = r.state.tree.branches[0]!.leaves[1]!.meta!;
    expect(meta).toEqual({ note: 'hello', at: [1, 2, 3] });
    expect(Object.isFrozen(meta.at)).toBe(true);
    expect(isDeepFrozen(r.state)).toBe(true);
    expect(isDeepFrozen(published[0])).toBe(true);
    expect(isDeepFrozen(store.state)).toBe(true);
    // Untouched subtrees keep their identity.
    expect(r.state.byKey).toBe(before.byKey);
    expect(r.state.tree.branches[0]!.leaves[0]).toBe(before.tree.branches[0]!.leaves[0]);
  });

  it('freezes new entries of Maps and Sets and what they hold, on both sides', async () => {
    const { store, r } = await connected();
    await r.dispatch('keyed', 'new', 7);
    await r.dispatch('tag', 'u');
    expect(r.state.byKey.get('new')).toEqual({ n: 7, list: [7, 8] });
    expect(r.state.byKey.get('k')!.list).toEqual([1, 7]);
    expect([...r.state.tags]).toEqual(['t', 'u']);
    expect(isDeepFrozen(r.state)).toBe(true);
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(() => (r.state.byKey as Map<string, unknown>).set('x', 1)).toThrow();
  });

  it('freezes the copies a recipe changed and changed back, which no patch names', async () => {
    const { store, r } = await connected();
    await r.dispatch('flipBack');
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(isDeepFrozen(r.state)).toBe(true);
    expect(r.state).toEqual(store.state);
  });

  it('freezes a state a recipe replaced whole, and several actions of one tick', async () => {
    const { store, r } = await connected();
    void store.dispatch('annotate', 'a');
    void store.dispatch('keyed', 'z', 1);
    void store.dispatch('flipBack');
    await store.dispatch('tag', 'v');
    await r.dispatch('annotate', 'b');
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(isDeepFrozen(r.state)).toBe(true);
    await r.dispatch('replaceAll', 9);
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(isDeepFrozen(r.state)).toBe(true);
    expect(r.state).toEqual(store.state);
  });
});

describe('what main code sees is frozen, whenever it looks', () => {
  it('freezes an object main put into the state through an action once published, though no one read the state', async () => {
    const mine = { note: 'kept by main', at: [1] };
    const store = stateActor({ list: [] as { note: string; at: number[] }[] }, {
      put(d) { d.list.push(mine); },
    });
    await store.dispatch('put');
    await Promise.resolve();
    expect(Object.isFrozen(mine) && Object.isFrozen(mine.at)).toBe(true);
    expect(() => { mine.at.push(2); }).toThrow(TypeError);
  });

  it('hands out deeply frozen states from state, changes$, updates() and snapshot() after renderer dispatches', async () => {
    const { store, r } = await connected();
    await r.dispatch('annotate', 'a');
    await r.dispatch('keyed', 'q', 2);
    await r.dispatch('flipBack');
    const snap = store.remote.snapshot() as { snapshot: unknown };
    expect(isDeepFrozen(snap.snapshot)).toBe(true);
    const seen: unknown[] = [];
    const sub = store.updates().subscribe((u) => seen.push('snapshot' in u ? u.snapshot : undefined));
    expect(isDeepFrozen(seen[0])).toBe(true);
    sub.unsubscribe();
    const published: unknown[] = [];
    store.changes$.subscribe((c) => published.push(c.state));
    await r.dispatch('tag', 'w');
    expect(isDeepFrozen(published[0])).toBe(true);
    expect(isDeepFrozen(store.state)).toBe(true);
    expect(r.state).toEqual(store.state);
  });
});

describe('freezeAlongPatches', () => {
  it('freezes a value a later patch of the same update put under an earlier one', () => {
    const prev = freeze({ a: { b: { c: 1 } }, other: { n: 1 } }, true);
    const patches = [
      { op: 'replace' as const, path: ['a'], value: { b: { c: 2, d: { e: [1] } }, f: { g: 1 } } },
      { op: 'add' as const, path: ['a', 'b', 'h'], value: { i: 1 } },
    ];
    const next = freezeAlongPatches(immer.applyPatches(prev, patches), patches);
    expect(isDeepFrozen(next)).toBe(true);
    expect(next.other).toBe(prev.other);
  });
});

describe('freezeChanged', () => {
  it('skips the children a new state shares with the previous one without looking inside', () => {
    const shared = { deep: { x: 1 } };
    const prev = { shared, list: [1] };
    Object.freeze(prev);
    Object.freeze(prev.list);
    // `shared` is not frozen here, on purpose: a shared child is taken as frozen, not walked.
    const next = { shared, list: [1, 2], added: { y: [3] } };
    freezeChanged(next, prev);
    expect(Object.isFrozen(next) && Object.isFrozen(next.list) && Object.isFrozen(next.added.y)).toBe(true);
    expect(Object.isFrozen(shared)).toBe(false);
  });
});
