/**
 * The replica's patch applier against immer's own `applyPatches`: for random states (objects,
 * arrays, Maps, Sets, nesting) and random recipes (sets, deletes, pushes, splices, length
 * cuts, Map and Set edits, whole replacements), both give equal states, the frozen base is
 * left as it was, and every subtree no patch touched keeps its identity.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enableMapSet, enablePatches, Immer, type Patch } from 'immer';
import { applyStatePatches } from '../../src/renderer/patch-apply.js';
import { freezeChanged } from '../../src/contracts/state-freeze.js';

enablePatches();
enableMapSet();
const immer = new Immer({ autoFreeze: false, useStrictIteration: false });

interface S {
  n: number;
  items: { id: number; done: boolean; tags: string[] }[];
  byId: Record<string, { v: number }>;
  map: Map<string, { v: number }>;
  set: Set<string>;
  deep: { a: { b: { c: number[] } } };
}

function initial(k: number): S {
  const items = Array.from({ length: k }, (_, i) => ({ id: i, done: i % 2 === 0, tags: [`t${i}`] }));
  return {
    n: 0, items,
    byId: Object.fromEntries(items.map((i) => [`k${i.id}`, { v: i.id }])),
    map: new Map(items.map((i) => [`m${i.id}`, { v: i.id }])),
    set: new Set(items.map((i) => `s${i.id}`)),
    deep: { a: { b: { c: [1, 2, 3] } } },
  };
}

type Step = (d: S) => void;
const idx = fc.nat({ max: 7 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.integer().map((v): Step => (d) => { d.n = v; }),
  idx.map((i): Step => (d) => { const it = d.items[i % Math.max(1, d.items.length)]; if (it) it.done = !it.done; }),
  idx.map((i): Step => (d) => { d.items.push({ id: 100 + i, done: false, tags: [] }); }),
  idx.map((i): Step => (d) => { d.items.splice(i % (d.items.length + 1), 1); }),
  idx.map((i): Step => (d) => { d.items.splice(i % (d.items.length + 1), 0, { id: 200 + i, done: true, tags: ['x'] }); }),
  idx.map((i): Step => (d) => { d.items.length = Math.min(d.items.length, i); }),
  idx.map((i): Step => (d) => { d.items.unshift({ id: 300 + i, done: false, tags: [] }); }),
  idx.map((i): Step => (d) => { const it = d.items[i % Math.max(1, d.items.length)]; if (it) it.tags.push(`n${i}`); }),
  idx.map((i): Step => (d) => { d.byId[`k${i}`] = { v: -i }; }),
  idx.map((i): Step => (d) => { delete d.byId[`k${i}`]; }),
  idx.map((i): Step => (d) => { d.map.set(`m${i}`, { v: i * 10 }); }),
  idx.map((i): Step => (d) => { d.map.delete(`m${i}`); }),
  idx.map((i): Step => (d) => { const e = d.map.get(`m${i}`); if (e) e.v++; }),
  idx.map((i): Step => (d) => { d.set.add(`s${i + 50}`); }),
  idx.map((i): Step => (d) => { d.set.delete(`s${i}`); }),
  fc.integer().map((v): Step => (d) => { d.deep.a.b.c.push(v); }),
  fc.constant<Step>((d) => { d.deep = { a: { b: { c: [] } } }; }),
  fc.constant<Step>((d) => { d.items.reverse(); }),
);

/** Every object reachable in `s`, by path, to check identities. */
function subtrees(s: unknown, path = '', out = new Map<string, object>()): Map<string, object> {
  if (typeof s !== 'object' || s === null) return out;
  out.set(path, s);
  const entries: [string, unknown][] = s instanceof Map ? [...s].map(([k, v]) => [String(k), v]) : s instanceof Set ? [] : Object.entries(s);
  for (const [k, v] of entries) subtrees(v, `${path}/${k}`, out);
  return out;
}

describe('applyStatePatches (the replica applier)', () => {
  it('gives the state immer gives, leaves the frozen base as it was, and keeps every untouched subtree', () => {
    fc.assert(fc.property(fc.nat({ max: 6 }), fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (k, recipes) => {
      const base = freezeChanged(initial(k), undefined);
      let patches: Patch[] = [];
      let mainNext: S = base;
      // Several recipes in one update, as one tick's actions are.
      for (const r of recipes) {
        const [next, p] = immer.produceWithPatches(mainNext, (d) => { for (const s of r) s(d as S); });
        mainNext = next;
        patches = patches.concat(p);
      }
      const before = structuredClone(base);
      const ours = applyStatePatches(base, patches);
      const theirs = immer.applyPatches(base, patches);
      expect(ours).toEqual(theirs);
      expect(ours).toEqual(mainNext);
      expect(base).toEqual(before);
      // Identity: a subtree the same in immer's result and the base is the same in ours.
      const baseTrees = subtrees(base);
      for (const [path, t] of subtrees(theirs)) if (baseTrees.get(path) === t) expect(subtrees(ours).get(path), path).toBe(t);
    }), { numRuns: 400 });
  });

  it('applies a whole-state replace and the patches after it', () => {
    const base = freezeChanged({ a: 1, b: { c: 2 } }, undefined);
    const next = applyStatePatches(base, [
      { op: 'replace', path: ['a'], value: 5 },
      { op: 'replace', path: [], value: { a: 9, b: { c: 3 } } },
      { op: 'replace', path: ['b', 'c'], value: 4 },
    ]);
    expect(next).toEqual({ a: 9, b: { c: 4 } });
  });

  it('copies each container on a path once, however many patches go through it', () => {
    const base = freezeChanged({ items: [{ v: 0 }, { v: 0 }, { v: 0 }] }, undefined);
    const next = applyStatePatches(base, [
      { op: 'replace', path: ['items', 0, 'v'], value: 1 },
      { op: 'replace', path: ['items', 2, 'v'], value: 2 },
      { op: 'add', path: ['items', '-'], value: { v: 3 } },
    ]);
    expect(next.items.map((i) => i.v)).toEqual([1, 0, 2, 3]);
    expect(next.items[1]).toBe(base.items[1]);
    expect(Object.isFrozen(base.items)).toBe(true);
  });

  it('refuses what immer refuses: a path through a primitive, prototype keys, replace on a Set, an unknown op', () => {
    const base = freezeChanged({ n: 1, set: new Set([1]), o: {} as Record<string, unknown> }, undefined);
    expect(() => applyStatePatches(base, [{ op: 'replace', path: ['n', 'x'], value: 1 }])).toThrow(TypeError);
    expect(() => applyStatePatches(base, [{ op: 'replace', path: ['__proto__', 'polluted'], value: 1 }])).toThrow(TypeError);
    expect(() => applyStatePatches(base, [{ op: 'replace', path: ['o', 'constructor'], value: 1 }])).toThrow(TypeError);
    expect(() => applyStatePatches(base, [{ op: 'replace', path: ['set', 0], value: 2 }])).toThrow(TypeError);
    expect(() => applyStatePatches(base, [{ op: 'move' as never, path: ['n'], value: 2 }])).toThrow(TypeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
