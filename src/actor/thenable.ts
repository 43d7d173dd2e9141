/**
 * Telling a promise-like result from a plain one. Actors wait for a handler's promise, and
 * state recipes must not return one; both ask the same question in the same way.
 * @packageDocumentation
 */

/** True for any object or function with a callable `then` (a native promise or a thenable). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
}
