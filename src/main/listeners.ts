/**
 * The listener registry: which listeners main attached to which emitters on someone's behalf,
 * so they can be detached when that someone goes away.
 *
 * A session records every renderer callback that main code registered as a listener (through
 * `on`, `once`, `addEventListener`, ...), forgets the ones the renderer removes or that fired
 * as `once`, and detaches the rest when the session ends. Facades that wrap a listener before
 * attaching it (the window and webContents actors) record the wrapper as `attached` and find
 * it again by the listener their caller knows.
 * @packageDocumentation
 */

/** A listener function as the registry sees it. */
export type ListenerFn = (...args: unknown[]) => void;

/** One listener attached to one emitter. */
export interface ListenerRecord {
  /** The emitter (an EventEmitter, an EventTarget, or anything with add/remove methods). */
  readonly target: object;
  /** The event name it listens to. */
  readonly event: unknown;
  /** The function as its owner knows it (a renderer callback proxy). */
  readonly listener: ListenerFn;
  /** The function the emitter holds: `listener` itself, or a wrapper around it. */
  readonly attached: ListenerFn;
  /** Name of the emitter's method that detaches it (`removeListener`, `removeEventListener`). */
  readonly detachWith: string;
  /** Registered to fire once: the emitter drops it by itself after it fired. */
  readonly once: boolean;
}

/** What a method name does to listeners, per the emitter conventions remora knows. */
export type ListenerMethod = { readonly adds: true; readonly detachWith: string; readonly once: boolean } | { readonly adds: false };

const ADDS: Readonly<Record<string, string>> = {
  on: 'removeListener',
  addListener: 'removeListener',
  prependListener: 'removeListener',
  once: 'removeListener',
  prependOnceListener: 'removeListener',
  addEventListener: 'removeEventListener',
};
const REMOVES = new Set(['off', 'removeListener', 'removeEventListener']);
const ONCE = new Set(['once', 'prependOnceListener']);

/** Classify a method name: one that adds a listener, one that removes one, or neither (`undefined`). */
export function listenerMethod(method: string): ListenerMethod | undefined {
  // Own keys only: `toString`, `hasOwnProperty` and other Object.prototype members are not listener methods.
  if (Object.hasOwn(ADDS, method)) return { adds: true, detachWith: ADDS[method]!, once: ONCE.has(method) };
  return REMOVES.has(method) ? { adds: false } : undefined;
}

/** True while the emitter still holds `r` as a `once` listener (Node's wrapper keeps it as `.listener`). */
function stillHeldOnce(r: ListenerRecord): boolean {
  const raw = (r.target as { rawListeners?: (e: unknown) => unknown[] }).rawListeners;
  if (typeof raw !== 'function') return false;
  try {
    return raw.call(r.target, r.event).some((l) => (l as { listener?: unknown }).listener === r.attached);
  } catch {
    return false;
  }
}

/** Listeners attached on someone's behalf, keyed by the function their owner knows. */
export class ListenerRegistry {
  private readonly byListener = new Map<ListenerFn, ListenerRecord[]>();
  private count = 0;

  /** Listeners recorded now (one per emitter registration). */
  get size(): number {
    return this.count;
  }

  /** Note a listener that was just attached to its emitter. */
  record(r: ListenerRecord): void {
    const list = this.byListener.get(r.listener);
    if (list) list.push(r);
    else this.byListener.set(r.listener, [r]);
    this.count++;
  }

  /** The record of `listener` on `target` for `event`, if one is held. */
  find(target: object, event: unknown, listener: ListenerFn): ListenerRecord | undefined {
    return this.byListener.get(listener)?.find((r) => r.target === target && r.event === event);
  }

  /**
   * Note a call of `method` on `target` with `args`: the listeners it added (those `owned`
   * says belong to the registry's owner) are recorded, the ones it removed are forgotten.
   */
  observe(target: object, method: string, args: readonly unknown[], owned: (fn: unknown) => boolean): void {
    const kind = listenerMethod(method);
    if (!kind) return;
    for (const a of args) {
      if (typeof a !== 'function' || !owned(a)) continue;
      const fn = a as ListenerFn;
      if (kind.adds) this.record({ target, event: args[0], listener: fn, attached: fn, detachWith: kind.detachWith, once: kind.once });
      else this.forget(fn, (r) => r.target === target && r.event === args[0]);
    }
  }

  /** Forget the records of `listener` that `which` selects (they are no longer on their emitters). */
  forget(listener: ListenerFn, which: (r: ListenerRecord) => boolean): void {
    const list = this.byListener.get(listener);
    if (!list) return;
    const keep = list.filter((r) => !which(r));
    this.count -= list.length - keep.length;
    if (keep.length === 0) this.byListener.delete(listener);
    else this.byListener.set(listener, keep);
  }

  /**
   * `listener` is firing: forget its `once` records whose emitter no longer holds it. The same
   * function may still be a `once` listener elsewhere, so only the fired ones go.
   */
  forgetFiredOnce(listener: ListenerFn): void {
    const list = this.byListener.get(listener);
    if (list?.some((r) => r.once)) this.forget(listener, (r) => r.once && !stillHeldOnce(r));
  }

  /** Detach `listener` from `target` for `event` and forget it. Returns false when it was not held. */
  detach(target: object, event: unknown, listener: ListenerFn): boolean {
    const r = this.find(target, event, listener);
    if (!r) return false;
    this.forget(listener, (x) => x === r);
    callDetach(r);
    return true;
  }

  /** Detach every recorded listener from its emitter and empty the registry; `failed` hears each error. */
  detachAll(failed: (e: unknown) => void): void {
    for (const list of this.byListener.values()) {
      for (const r of list) {
        try {
          callDetach(r);
        } catch (e) {
          failed(e);
        }
      }
    }
    this.byListener.clear();
    this.count = 0;
  }
}

function callDetach(r: ListenerRecord): void {
  const detach = (r.target as Record<string, unknown>)[r.detachWith];
  if (typeof detach === 'function') detach.call(r.target, r.event, r.attached);
}
