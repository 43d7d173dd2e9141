/**
 * Deferred (pipelined) results: the result of a call that later calls in its message were
 * pipelined on is kept undecoded until someone asks for it. Most chains never do (`await
 * api.a().b().c()` only wants `c`), so no handle is made for the intermediates.
 *
 * Main counted the refs in such a result as sent, so they are owed back unless an observer
 * claims them (decodes the result into handles). Results join a group of up to
 * {@link DEFERRED_GROUP}: one token object, held by each of its deferred calls, one registry
 * entry and one WeakRef per group, because an entry and a WeakRef per result cost more than
 * the result (V8 keeps their targets through young-generation collections). Once the token is
 * garbage-collected nobody can ask for those results any more, and what the group still owes
 * goes back to main as releases, from the registry or from a sweep of the groups' WeakRefs
 * (for when finalizers stall).
 *
 * The FinalizationRegistry here is module-level on purpose, one for the realm, never one per
 * connection: a registry that dies with cleanup pending can stop every finalizer in the isolate
 * (docs/lifetime.md, "When finalizers stop"). It is the one deliberate module-level mutable
 * object of this file; it holds no configuration.
 * @packageDocumentation
 */
import type { DecodeHost } from '../protocol/index.js';
import type { Lifetime } from './lifetime.js';
import type { PendingCall, PendingCalls, UnclaimedResult } from './pending-calls.js';
import { refsOf } from './wire-refs.js';

/** Deferred results per group (one token, one registry entry, one WeakRef). */
export const DEFERRED_GROUP = 64;
/** The group tokens are swept for collected ones when they reach this many (then twice the live count). */
export const MIN_DEFERRED_SWEEP = 16;

/** The refs a group of deferred results owes main: one entry per receipt, zeroed once claimed. */
interface Owed {
  readonly results: DeferredResults;
  readonly ids: number[];
  done: boolean;
}

/** One group, as its connection tracks it (weakly: the connection must not keep the token alive). */
interface Group {
  readonly ref: WeakRef<object>;
  readonly owed: Owed;
  results: number;
}

/** One registry for the realm (never one per connection: see the file header). */
const registry = new FinalizationRegistry<Owed>((owed) => owed.results.expire(owed));

/** A deferred result: its wire value and its share (`from`..`to`) of its group's owed refs. */
class DeferredResult implements UnclaimedResult {
  constructor(
    readonly wire: unknown,
    /** Held so the group stays owed while this result can still be claimed. */
    readonly token: object,
    readonly owed: Owed,
    readonly from: number,
    readonly to: number,
  ) {}

  /** Someone asked for the result: claim its refs and decode it now. */
  claim(call: PendingCall): void {
    for (let i = this.from; i < this.to; i++) this.owed.ids[i] = 0;
    let v: unknown;
    try {
      v = this.owed.results.decode(this.wire, call.host);
    } catch (e) {
      call.quiet();
      call.reject(e);
      return;
    }
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) call.quiet();
    call.resolve(v);
  }
}

/** The deferred results of one connection. */
export class DeferredResults {
  /** The group new deferred results join. */
  private group: Group | undefined;
  /** Every group, weakly (swept like the ref cache). */
  private groups: Group[] = [];
  private sweepAt = MIN_DEFERRED_SWEEP;
  private ended = false;

  constructor(
    private readonly calls: PendingCalls,
    private readonly lifetime: Lifetime,
    /** @internal Decodes a claimed result. */
    readonly decode: (wire: unknown, host: DecodeHost) => unknown,
  ) {}

  /**
   * Keep `wire`, the result of `call`, undecoded until someone asks for it. Returns false when
   * it must be decoded now (it holds a promise, or no ref: nothing to save).
   */
  defer(call: PendingCall, wire: object): boolean {
    const ids: number[] = [];
    if (refsOf(wire, ids) || ids.length === 0) return false;
    let g = this.group;
    let token = g && g.results < DEFERRED_GROUP ? g.ref.deref() : undefined;
    if (!g || !token) {
      if (this.groups.length >= this.sweepAt) this.sweep();
      token = {};
      const owed: Owed = { results: this, ids: [], done: false };
      registry.register(token, owed, owed);
      g = this.group = { ref: new WeakRef(token), owed, results: 0 };
      this.groups.push(g);
    }
    g.results++;
    const from = g.owed.ids.length;
    for (const id of ids) g.owed.ids.push(id);
    this.calls.untrack(call);
    call.deferred = new DeferredResult(wire, token, g.owed, from, g.owed.ids.length);
    return true;
  }

  /** @internal A group's results can no longer be asked for: return the receipts it still owes. */
  expire(owed: Owed): void {
    if (owed.done) return;
    owed.done = true;
    registry.unregister(owed);
    if (this.ended) return;
    for (const id of owed.ids) if (id > 0) this.lifetime.returnReceipt(id);
  }

  /** Expire the groups whose tokens were collected, without waiting for the registry (it can stall). */
  private sweep(): void {
    const live: Group[] = [];
    for (const g of this.groups) {
      if (g.owed.done) continue;
      if (g.ref.deref() === undefined) this.expire(g.owed);
      else live.push(g);
    }
    this.groups = live;
    this.sweepAt = Math.max(MIN_DEFERRED_SWEEP, 2 * live.length);
  }

  /** Forget every group (the connection ended: main dropped every ref, nothing is owed). */
  clear(): void {
    this.ended = true;
    for (const g of this.groups) {
      g.owed.done = true;
      registry.unregister(g.owed);
    }
    this.groups = [];
    this.group = undefined;
  }
}
