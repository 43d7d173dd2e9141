/**
 * Listener bookkeeping shared by the window and webContents facades: maps each renderer
 * listener to the wrapper registered on the Electron object, so removal (by the renderer, or
 * by the session when the page goes away) removes exactly what was added. A wrapper turns
 * Electron's `(event, ...args)` into one plain payload, and may drop an emission that is
 * not the facade's to deliver (a subframe's in-page navigation, for one).
 * @packageDocumentation
 */
import * as errors from '../src/errors/factories.js';
import type { EmitterLike } from './electron-like.js';

type Listener = (payload: unknown) => void;
type Raw = (...args: unknown[]) => void;

/** Skip this emission (returned by a payload function). */
export const SKIP: unique symbol = Symbol('skip');

/**
 * Wrappers of renderer listeners on one Electron emitter, by event.
 * @internal
 */
export class ListenerMap {
  private readonly wrappers = new Map<string, Map<Listener, Raw>>();

  constructor(
    private readonly allowed: ReadonlySet<string>,
    private readonly target: EmitterLike,
    /** The payload the renderer gets for Electron's arguments, or {@link SKIP}. */
    private readonly payload: (event: string, args: unknown[]) => unknown,
    private readonly what: string,
  ) {}

  /** Register `listener` for `event` (once per listener). */
  add(event: string, listener: Listener): void {
    if (!this.allowed.has(event)) throw errors.of('E_DENIED', `Denied: "${event}" is not an observable ${this.what} event (allowed: ${[...this.allowed].join(', ')}).`);
    if (typeof listener !== 'function') throw errors.of('E_BAD_VALUE', 'The listener must be a function.');
    let byListener = this.wrappers.get(event);
    if (!byListener) this.wrappers.set(event, (byListener = new Map()));
    if (byListener.has(listener)) return;
    const raw: Raw = (...args) => {
      const p = this.payload(event, args);
      if (p !== SKIP) listener(p);
    };
    byListener.set(listener, raw);
    this.target.on(event, raw);
  }

  /** Remove what {@link add} registered. */
  remove(event: string, listener: Listener): void {
    const byListener = this.wrappers.get(event);
    const raw = byListener?.get(listener);
    if (!raw) return;
    byListener!.delete(listener);
    if (byListener!.size === 0) this.wrappers.delete(event);
    this.target.removeListener(event, raw);
  }

  /** Listeners currently registered through this facade. */
  get size(): number {
    let n = 0;
    for (const m of this.wrappers.values()) n += m.size;
    return n;
  }
}
