/**
 * contextBridge's copy across worlds, as Electron does it (docs/api/context-bridge.md, the
 * type-support table; shell/renderer/api/electron_api_context_bridge.cc `PassValueToOtherContext`):
 *
 * - strings, numbers, booleans, bigints, null, undefined pass as they are (no copy);
 * - a symbol is dropped (becomes undefined);
 * - a Proxy throws (it is neither a plain object nor cloneable);
 * - an Error becomes a bare `Error(message)` in the other world (name, code, stack and custom
 *   properties do not survive);
 * - a function becomes a function in the other world that copies its arguments and result
 *   each call; a promise becomes a promise whose value is copied;
 * - cloneable types (Map, Set, Date, RegExp, ArrayBuffer, typed arrays) are structured-cloned;
 * - arrays and objects are copied deeply, own enumerable string keys only, prototypes dropped,
 *   cycles and shared subtrees kept (one copy per source object per crossing);
 * - `exposeInMainWorld` freezes the exposed API (deeply).
 */
import { types } from 'node:util';

/** Copy `v` into the other world. */
export function acrossWorlds(v: unknown, seen: Map<object, unknown> = new Map()): unknown {
  if (typeof v === 'symbol') return undefined;
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
  if (types.isProxy(v)) throw new Error('An object could not be cloned.');
  const known = seen.get(v as object);
  if (known !== undefined) return known;
  if (typeof v === 'function') {
    const fn = v as (...a: unknown[]) => unknown;
    const out = (...args: unknown[]) => acrossWorlds(fn(...args.map((a) => acrossWorlds(a))));
    seen.set(fn, out);
    return out;
  }
  if (v instanceof Error) return new Error(v.message);
  if (types.isPromise(v)) return (v as Promise<unknown>).then((x) => acrossWorlds(x), (e) => { throw acrossWorlds(e); });
  if (v instanceof Map || v instanceof Set || v instanceof Date || v instanceof RegExp || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
    const c = structuredClone(v);
    seen.set(v, c);
    return c;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(acrossWorlds(x, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = acrossWorlds((v as Record<string, unknown>)[k], seen);
  return out;
}

/** Freeze `v` and everything reachable from it. */
export function deepFreeze<T>(v: T, seen = new Set<unknown>()): T {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return v;
  seen.add(v);
  Object.freeze(v);
  for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k], seen);
  return v;
}
