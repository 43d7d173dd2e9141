/**
 * Value classifiers: the questions the codec and both sides ask about a JavaScript value
 * before deciding how it travels (copied, by reference, as a promise). One home, so every
 * side draws the lines in the same place.
 * @packageDocumentation
 */
import type { RefKind } from './tags.js';

/** True for an object or a function (anything that can have properties and identity). */
export function isObjectLike(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

/** True for objects remora copies by value: plain objects (prototype Object.prototype or null). */
export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for a plain array (not a subclass). */
export function isPlainArray(v: object): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

/** True when a plain object has a function among its enumerable properties. */
export function hasFunctionProps(v: object): boolean {
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] === 'function') return true;
  return false;
}

/** True for a thenable: an object or function with a callable `then`. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return isObjectLike(v) && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** True for an Observable-shaped object (has `subscribe` and `pipe`). */
export function isObservableLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as { subscribe?: unknown }).subscribe === 'function' && typeof (v as { pipe?: unknown }).pipe === 'function';
}

/** The kind a value sent by reference travels as: `f` function, `x` Observable, `o` object. */
export function refKindOf(v: unknown): RefKind {
  if (typeof v === 'function') return 'f';
  if (isObservableLike(v)) return 'x';
  return 'o';
}

/** True for a value that travels as itself: a string, boolean, finite number other than -0, or null. */
export function isBareWire(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v) && !Object.is(v, -0)) || v === null;
}
