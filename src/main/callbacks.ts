/**
 * A session's callback table: the proxies main makes for functions a renderer sent (`['c', id]`).
 *
 * Main code calls a proxy; the session sends a `cb` frame and the renderer runs its function.
 * The renderer keeps its function while main may still call it, so main tells it (`cbfree`,
 * with the number of times it received the id) when a proxy is gone: collected by V8, found
 * dead by a sweep, or the session ended (then the renderer drops everything itself).
 *
 * The one `FinalizationRegistry` below is shared by every session of the realm. That is a
 * deliberate exception to "no module-level state": a registry per session would die with its
 * session before its callbacks ran. Its entries carry their table, sessions unregister their
 * entries themselves, and a sweep does not wait for V8's cleanup task, which can stall
 * (docs/lifetime.md, "When finalizers stop").
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import type { Pool } from './budget.js';
import { toRenderer, type CallbackFreeFrame } from '../protocol/index.js';

/** A callback proxy: calling it asks the renderer to run its function. */
export type CallbackProxy = (...args: unknown[]) => void;

/**
 * Main's record of one renderer callback: a weak reference to the proxy main code holds. The
 * same object is the registry's held value and its unregister token.
 */
interface CallbackEntry {
  readonly proxy: WeakRef<CallbackProxy>;
  readonly table: CallbackTable;
  readonly id: number;
  /** Times the renderer sent this id to this proxy; `cbfree` gives them back, as releases do for refs. */
  receipts: number;
}

/** Shared per realm on purpose (see the file header). */
const collectedProxies = new FinalizationRegistry<CallbackEntry>((entry) => entry.table.collected(entry));

/** The table never sweeps below this many entries. */
const MIN_SWEEP = 256;

/** What the table asks of its session. */
export interface CallbackHost {
  /** Most callbacks the renderer may have main hold (`limits.maxCallbacks`). */
  readonly maxCallbacks: number;
  /** Main code called proxy `id` (made for `owner`) with `args`. */
  invoke(id: number, proxy: CallbackProxy, owner: Actor, args: unknown[]): void;
  /** The table has freed callbacks to tell the renderer about: flush at the end of the tick. */
  scheduleFlush(): void;
  /** The broker-wide total of callbacks this table draws on (none: unbounded). */
  readonly pool?: Pool;
}

/** The callbacks of one session. */
export class CallbackTable {
  private readonly entries = new Map<number, CallbackEntry>();
  /** Each proxy this table made, to its entry. */
  private readonly proxies = new WeakMap<object, CallbackEntry>();
  /** Sweep for collected proxies when the table reaches this size. */
  private sweepAt = MIN_SWEEP;
  /** Refusals at the limit to go before the next sweep at the limit (after one that freed little). */
  private limitSweepDebt = 0;
  /** `[id, receipts]` pairs of freed callbacks the renderer has not been told about yet. */
  private freed: number[] = [];

  constructor(private readonly host: CallbackHost) {}

  /** Callbacks held now. */
  get size(): number {
    return this.entries.size;
  }

  /** True when `fn` is a proxy this table made. */
  owns(fn: unknown): boolean {
    return typeof fn === 'function' && this.proxies.has(fn);
  }

  /**
   * The proxy for renderer callback `id`, made for `owner` (whose actor the callback's
   * arguments are encoded for). The same id gives the same proxy while main holds it.
   * Throws `E_TOO_MANY_REFS` at `maxCallbacks`.
   */
  proxyFor(id: number, owner: Actor, length?: unknown): CallbackProxy {
    const known = this.entries.get(id);
    const existing = known?.proxy.deref();
    if (existing) {
      known!.receipts++;
      return existing;
    }
    if (this.entries.size >= this.sweepAt) this.sweep();
    if (!this.entries.has(id) && this.entries.size >= this.host.maxCallbacks) this.refuseUnlessSwept();
    if (!known) this.host.pool?.take();
    const proxy: CallbackProxy = (...args) => this.host.invoke(id, proxy, owner, args);
    // The arity the renderer declared (`['c', id, length]`, at most 64), for code that branches on it.
    if (typeof length === 'number' && Number.isInteger(length) && length > 0 && length <= 64) Object.defineProperty(proxy, 'length', { value: length });
    // A dead proxy's receipts are still owed to the renderer: the new proxy takes them over.
    const entry: CallbackEntry = { proxy: new WeakRef(proxy), table: this, id, receipts: (known?.receipts ?? 0) + 1 };
    if (known) collectedProxies.unregister(known);
    this.entries.set(id, entry);
    this.proxies.set(proxy, entry);
    collectedProxies.register(proxy, entry, entry);
    return proxy;
  }

  /**
   * At the limit, sweep before refusing; after a sweep that freed little, only once more
   * refusals paid for it, so a renderer at the limit cannot make every frame walk the table.
   */
  private refuseUnlessSwept(): void {
    const max = this.host.maxCallbacks;
    if (this.limitSweepDebt === 0) {
      const before = this.entries.size;
      this.sweep();
      if (before - this.entries.size < before / 8) this.limitSweepDebt = Math.ceil(before / 8);
    }
    if (this.entries.size < max) return;
    if (this.limitSweepDebt > 0) this.limitSweepDebt--;
    throw errors.tooManyCallbacks({ max });
  }

  /** Forget callbacks whose proxies main no longer holds, without waiting for the registry. */
  private sweep(): void {
    for (const entry of this.entries.values()) if (entry.proxy.deref() === undefined) this.forget(entry);
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.entries.size);
  }

  private forget(entry: CallbackEntry): void {
    collectedProxies.unregister(entry);
    if (this.entries.delete(entry.id)) this.host.pool?.give();
    this.freed.push(entry.id, entry.receipts);
    this.host.scheduleFlush();
  }

  /** The `cbfree` frame for the callbacks freed since the last one, if any (the flush sends it). */
  takeFreed(): CallbackFreeFrame | undefined {
    if (this.freed.length === 0) return undefined;
    const cbs = this.freed;
    this.freed = [];
    return toRenderer.cbfree(cbs);
  }

  /** @internal The registry found a proxy collected: let the renderer forget the function. */
  collected(entry: CallbackEntry): void {
    // After `clear` (session end) the entry is no longer the table's: nothing to tell.
    if (this.entries.get(entry.id) === entry) this.forget(entry);
  }

  /** Session end: forget every callback without telling the renderer (it drops them itself). */
  clear(): void {
    for (const entry of this.entries.values()) collectedProxies.unregister(entry);
    this.host.pool?.give(this.entries.size);
    this.entries.clear();
  }
}
