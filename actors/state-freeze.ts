/**
 * Freezing what an update changed, and nothing else. Immer's own auto-freeze walks every
 * child of every container an update copied (10 000 entries of a list for one changed
 * field); here only the containers on the patches' paths and the values the patches put in
 * are frozen, so an update costs the same whatever the size of the state. Untouched
 * subtrees are the previous state's, frozen already. Used by state actors (main) and
 * replicas (renderer).
 * @packageDocumentation
 */
import { freeze, type Patch } from 'immer';

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';

function child(node: object, key: string | number): unknown {
  if (node instanceof Map) return node.get(key);
  return (node as Record<string | number, unknown>)[key];
}

/**
 * Make `state` deeply frozen, given that it was produced from a deeply frozen state by
 * `patches` (with immer's auto-freeze off). Returns `state`.
 * @example
 * ```ts
 * const [next, patches] = new Immer({ autoFreeze: false }).produceWithPatches(prev, recipe);
 * freezeChanged(next, patches); // as frozen as autoFreeze would leave it, in O(patches × depth)
 * ```
 */
export function freezeChanged<T>(state: T, patches: readonly Patch[]): T {
  if (!isObject(state)) return state;
  // 1. Everything a patch put in, deeply. Any object already frozen at this point is deeply
  //    frozen (an old subtree, or one frozen by an earlier step), so immer's deep freeze may stop there.
  for (const p of patches) {
    let node: unknown = state;
    for (const key of p.path) {
      if (!isObject(node) || node instanceof Set) break;
      node = child(node, key);
    }
    if (isObject(node)) freeze(node, true);
  }
  // 2. The containers on the patches' paths (new copies), shallowly: their other children are
  //    old, or were frozen in step 1, or are containers on another path.
  freeze(state, false);
  for (const p of patches) {
    let node: unknown = state;
    for (const key of p.path) {
      if (!isObject(node)) break;
      if (node instanceof Set) {
        freeze(node, true);
        break;
      }
      node = child(node, key);
      if (isObject(node)) freeze(node, node instanceof Set);
    }
  }
  return state;
}

/** True when `v` and everything reachable from it is frozen (for specs and assertions). */
export function isDeepFrozen(v: unknown, seen = new Set<object>()): boolean {
  if (!isObject(v) || seen.has(v)) return true;
  seen.add(v);
  if (!Object.isFrozen(v)) return false;
  if (v instanceof Map) return [...v].every(([k, x]) => isDeepFrozen(k, seen) && isDeepFrozen(x, seen));
  if (v instanceof Set) return [...v].every((x) => isDeepFrozen(x, seen));
  return Object.values(v).every((x) => isDeepFrozen(x, seen));
}
