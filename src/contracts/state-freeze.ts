/**
 * Freezing a new state where it changed, for the state actor (main) and its replicas
 * (renderer): both promise a deeply frozen state, and both get each new state from immer,
 * which copies only the containers on the way to a change and shares every other subtree with
 * the previous, already frozen state. Walking the whole state per update (immer's
 * `freeze(state, true)`, which calls `Object.isFrozen` on every child of every copied
 * container) made that promise cost O(state): 46 % of main's time at 100 000 items.
 *
 * Two ways, because the two sides know different things:
 * - {@link freezeAlongPatches} (the replica): a state from `applyPatches` has copies only on
 *   the patches' paths, so freezing the containers along each path and deep-freezing the value
 *   at its end is complete, and costs the length of the paths plus the new values.
 * - {@link freezeChanged} (main): a recipe's result can also hold copies that no patch names
 *   (a container changed and changed back in one recipe: immer keeps its copy and emits no
 *   patch), so patch paths alone would leave those unfrozen. This walk descends only into
 *   unfrozen containers and skips, without a call, every child that is the previous state's
 *   child at the same key (frozen already): its cost follows the containers immer copied
 *   (the same order as immer's own copy of them), never the untouched rest of the state.
 *
 * Invariant both rely on: a frozen container has a frozen subtree (everything here freezes a
 * container together with all of its unfrozen children before returning).
 * @packageDocumentation
 */
import type { Patch } from 'immer';

type Container = Record<PropertyKey, unknown>;

function frozenCollection(): never {
  throw new TypeError('This Map or Set is part of a frozen state: change it in an action (main) instead.');
}
const refuseChange = { value: frozenCollection };

/**
 * Freeze one container shallowly. A Map's or Set's contents are not properties, so its
 * `set`/`add`/`delete`/`clear` are replaced by ones that throw (as immer's `freeze` does).
 */
function freeze(v: object): void {
  if (v instanceof Map || v instanceof Set) Object.defineProperties(v, { set: refuseChange, add: refuseChange, delete: refuseChange, clear: refuseChange });
  Object.freeze(v);
}

/** True for an object (not null): a container or a value that may hold some. */
export const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Freeze `v` and every unfrozen object below it; `base` is the frozen value it replaced, when known. */
function deepFreeze(v: object, base: unknown): void {
  if (Object.isFrozen(v)) return;
  if (v instanceof Map) {
    freeze(v);
    const old = base instanceof Map ? base : undefined;
    for (const [k, x] of v) {
      if (isObject(k)) deepFreeze(k, undefined);
      if (isObject(x) && x !== old?.get(k)) deepFreeze(x, old?.get(k));
    }
    return;
  }
  if (v instanceof Set) {
    freeze(v);
    for (const x of v) if (isObject(x)) deepFreeze(x, undefined);
    return;
  }
  Object.freeze(v);
  const old = isObject(base) ? (base as Container) : undefined;
  if (Array.isArray(v)) {
    const prev = Array.isArray(old) ? (old as unknown[]) : undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (isObject(x) && (prev === undefined || x !== prev[i])) deepFreeze(x, prev?.[i]);
    }
    return;
  }
  const o = v as Container;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (isObject(x) && (old === undefined || x !== old[k])) deepFreeze(x, old?.[k]);
  }
}

/**
 * Deep-freeze `next`, a recipe's result over `previous` (deeply frozen), visiting only what is
 * not frozen yet: the containers immer copied and the new values. Returns `next`.
 * @example
 * ```ts
 * const [next] = immer.produceWithPatches(prev, (d) => { d.items[5].done = true });
 * freezeChanged(next, prev); // freezes next, next.items, next.items[5]
 * ```
 */
export function freezeChanged<S>(next: S, previous: unknown): S {
  if (isObject(next)) deepFreeze(next, previous);
  return next;
}

/** The child of `node` at `key` (a Map's entry or an object's property). */
export function childOf(node: object, key: PropertyKey): unknown {
  return node instanceof Map ? node.get(key) : (node as Container)[key];
}

/**
 * Deep-freeze a state that `applyPatches(previous, patches)` produced from a deeply frozen
 * `previous`: freezes the containers along every patch's path and the value at its end; the
 * rest is `previous`'s own, frozen subtrees. A path through a Set (whose patch paths name
 * positions, not keys) freezes that Set whole. Returns `next`.
 * @example
 * ```ts
 * const next = freezeAlongPatches(immer.applyPatches(prev, update.patches), update.patches);
 * ```
 */
export function freezeAlongPatches<S>(next: S, patches: readonly Patch[]): S {
  // First the value at the end of every path (or the Set a path runs into), with all below it:
  // before anything is frozen shallowly, a frozen object is one of `previous`'s, frozen deeply.
  for (const p of patches) {
    const end = walk(next, p.path, false);
    if (isObject(end)) deepFreeze(end, undefined);
  }
  // Then the containers on the paths, each shallowly: their other children are shared, frozen.
  for (const p of patches) walk(next, p.path, true);
  return next;
}

/** Follow `path` from `root` as far as it leads through Maps, arrays and objects (a Set ends it). */
function walk(root: unknown, path: Patch['path'], freezeOnTheWay: boolean): unknown {
  let node = root;
  for (let i = 0; i < path.length && isObject(node) && !(node instanceof Set); i++) {
    if (freezeOnTheWay && !Object.isFrozen(node)) freeze(node);
    node = childOf(node, path[i]!);
  }
  return node;
}
