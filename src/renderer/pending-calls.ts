/**
 * Calls in flight: one {@link PendingCall} per request the renderer sent and main has not
 * answered, in a {@link PendingCalls} table keyed by request id.
 *
 * A call settles exactly once, whichever comes first: main's reply, its deadline, its
 * AbortSignal, or the end of the connection. Its frame stays mutable until it leaves, so calls
 * pipelined on it in the same tick can bump its `k` (the count of dependents main must keep
 * its result for).
 * @packageDocumentation
 */
import { isObjectLike, type DecodeHost, type RequestFrame } from '../protocol/index.js';
import type { Outbox } from './outbox.js';
import { NativePromise } from './native-promise.js';


/** A promise main sent inside a value: main settles it later as a reply with this id. */
export interface PromiseSlot {
  /** Marks a promise, not a request. */
  readonly t: 'promise';
  /** The reply id main settles it with. */
  readonly id: number;
  /** Never pipelined on (kept for the shape every call frame shares). */
  k?: number;
}

/** The outbound frame of a call (its id, and `k` once later calls were pipelined on it), or a promise slot. */
export type CallFrame = RequestFrame | PromiseSlot;

/**
 * What a call was for, as people read it in an `E_TIMEOUT`: `section.get()` (an apply),
 * `section.value` (a get), `new Counter()`, `require("settings")`; a call pipelined on a
 * call still in flight starts with that call's label (`require("settings").section.get()`).
 */
export function callLabel(frame: CallFrame, calls?: PendingCalls, depth = 0): string {
  switch (frame.t) {
    case 'require':
      return `require(${JSON.stringify(frame.name)})`;
    case 'global':
      return `getGlobal(${JSON.stringify(frame.name)})`;
    case 'current':
      return `current(${JSON.stringify(frame.what)})`;
    case 'promise':
      return `promise #${frame.id}`;
    default: {
      const base = frame.on !== undefined && depth < 8 ? calls?.get(frame.on)?.frame : undefined;
      const path = [base ? callLabel(base, calls, depth + 1) : '', ...frame.path].filter((p) => p !== '').join('.') || '(target)';
      if (frame.t === 'apply') return `${path}()`;
      if (frame.t === 'new') return `new ${path}()`;
      if (frame.t === 'set') return `${path} = …`;
      return path;
    }
  }
}

/**
 * A result kept undecoded until someone asks for it (see deferred-results.ts); asking
 * claims it, which decodes it and settles the call.
 */
export interface UnclaimedResult {
  /** Decode the result for `call` and settle it. */
  claim(call: PendingCall): void;
}

const ignore = (): undefined => undefined;

/** A call in flight. */
export class PendingCall {
  /** The frame, mutable until flushed (pipelined dependents bump its `k`). */
  frame: CallFrame;
  /** The outbox this call's frame was queued in: sent once that outbox has flushed since. */
  private queuedIn: Outbox | undefined;
  private flushedAt = 0;
  private sentFlag = false;
  /** True once the frame left (or the call was never queued through an outbox and was marked sent). */
  get sent(): boolean {
    return this.sentFlag || (this.queuedIn !== undefined && this.queuedIn.flushes > this.flushedAt);
  }
  set sent(v: boolean) {
    this.sentFlag = v;
  }
  /** Record that the frame is queued in `outbox` now (no per-frame bookkeeping at flush). */
  queued(outbox: Outbox): void {
    this.queuedIn = outbox;
    this.flushedAt = outbox.flushes;
  }
  /** True once the call settled, or its result was kept for later (see `deferred`). */
  settled = false;
  /** When the call fails with `E_TIMEOUT` (see deadlines.ts), on the protocol's `monotonicClock`. */
  deadline: number;
  /** The deadline's length, for the error message. */
  timeoutMs = 0;
  private readonly settledBy: Promise<unknown>;
  /** Someone asked for the result (`then`, `catch`, an operation continuing from it, ...). */
  observed = false;
  /**
   * An intermediate result of a pipelined chain that arrived before anyone asked for it: kept
   * as it came off the wire and decoded on first use, so no handle is made for a result only
   * its dependents needed.
   */
  deferred: UnclaimedResult | undefined;
  /** Settle the promise with a value (use `PendingCalls.settle`: it also stops tracking the call). */
  resolve!: (v: unknown) => void;
  /** Settle the promise with an error (see `resolve`). */
  reject!: (e: unknown) => void;
  /** Undoes what the call hooked up (its AbortSignal listener) once it settles. */
  cleanup: (() => void) | undefined;
  /** How the reply decodes: with async handles, or sync handles for compatibility calls. */
  readonly host: DecodeHost;

  constructor(frame: CallFrame, deadline: number, host: DecodeHost) {
    this.frame = frame;
    this.deadline = deadline;
    this.host = host;
    this.settledBy = new NativePromise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  /**
   * Pipelined intermediates are often never awaited themselves; their failure reaches the
   * dependents instead, so it must not surface as an unhandled rejection. Marked just before
   * the promise can reject (not at creation: a handler per call costs a promise and a job).
   */
  quiet(): void {
    this.settledBy.catch(ignore);
  }

  /** Settle at once, outside any table (a call that fails before it is sent). */
  failNow(e: unknown): void {
    this.settled = true;
    this.quiet();
    this.reject(e);
  }

  /** The call's result; asking for it decodes a deferred result (making its handles) first. */
  get promise(): Promise<unknown> {
    this.observed = true;
    const d = this.deferred;
    if (d) {
      this.deferred = undefined;
      d.claim(this);
    }
    return this.settledBy;
  }
}

/** The calls of one connection that main has not answered yet. */
export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();

  /** @param onEmpty told each time the last call in flight leaves the table. */
  constructor(private readonly onEmpty?: () => void) {}

  /** Calls in flight. */
  get size(): number {
    return this.calls.size;
  }

  /** The call with request id `id`, if it is still in flight. */
  get(id: number): PendingCall | undefined {
    return this.calls.get(id);
  }

  /** Track a call until it settles. */
  add(call: PendingCall): void {
    this.calls.set(call.frame.id, call);
  }

  /** Every call in flight (live: settling one while iterating is fine). */
  values(): IterableIterator<PendingCall> {
    return this.calls.values();
  }

  /** Settle a call exactly once, and stop tracking it. */
  settle(call: PendingCall, ok: boolean, value: unknown): void {
    if (call.settled) return;
    this.untrack(call);
    // A thenable value can still make the promise reject.
    if (!ok || isObjectLike(value)) call.quiet();
    if (ok) call.resolve(value);
    else call.reject(value);
  }

  /** Stop tracking a call whose result is kept for later (its promise settles when claimed). */
  untrack(call: PendingCall): void {
    call.settled = true;
    if (this.calls.delete(call.frame.id) && this.calls.size === 0) this.onEmpty?.();
    call.cleanup?.();
  }

  /** Reject every call in flight with `e` (the connection ended). */
  rejectAll(e: unknown): void {
    for (const call of [...this.calls.values()]) this.settle(call, false, e);
    this.calls.clear();
  }
}
