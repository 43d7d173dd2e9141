/**
 * Inbound frames: what each kind of frame from main does on the renderer, one small handler per
 * kind, and {@link dispatchFrame} choosing the handler by the frame's `t`.
 *
 * Replies settle pending calls (or become deferred results), `next`/`error`/`complete` feed
 * subscriptions, `cb` invokes a callback and `cbfree` gives callback sends back, `welcome` and
 * `bye` end the handshake. A frame of an unknown kind is ignored. Refs in a value nobody will
 * decode any more (a late reply, values after an unsubscribe) go back to main as released
 * receipts.
 * @packageDocumentation
 */
import { toCallerError } from '../protocol/index.js';
import { invokeCallback, type Callbacks } from './callbacks.js';
import type { DeferredResults } from './deferred-results.js';
import type { Lifetime } from './lifetime.js';
import type { Outbox } from './outbox.js';
import type { PendingCall, PendingCalls } from './pending-calls.js';
import type { Subscriptions } from './subscriptions.js';
import type { ValueDecoding } from './value-hosts.js';
import { refsOf } from './wire-refs.js';

/** A frame from main, after un-batching. */
export type InboundFrame = Record<string, unknown>;

/** The parts of a connection that inbound frames act on. */
export interface InboundParts {
  /** Replies settle these. */
  readonly calls: PendingCalls;
  /** Replies that are pipelined intermediates go here. */
  readonly deferred: DeferredResults;
  /** `next`, `error` and `complete` feed these. */
  readonly subscriptions: Subscriptions;
  /** `cb` invokes these, `cbfree` gives their sends back. */
  readonly callbacks: Callbacks;
  /** How values in frames decode. */
  readonly values: ValueDecoding;
  /** Receipts of refs nobody will decode are returned here. */
  readonly lifetime: Lifetime;
  /** Stream acknowledgements are counted here. */
  readonly outbox: Outbox;
  /** Main accepted the handshake. */
  welcomed(session: string): void;
  /** Main refused the renderer or ended its session (`bye`). */
  dismissed(reason: string): void;
}

type Handler = (f: InboundFrame, c: InboundParts) => void;

/** Return the receipts of every ref in a value nobody will decode. */
function returnReceipts(c: InboundParts, w: unknown): void {
  const ids: number[] = [];
  refsOf(w, ids);
  for (const id of ids) c.lifetime.returnReceipt(id);
}

/** The call a reply is for, or undefined when it settled already (timed out, aborted). */
function callOf(f: InboundFrame, c: InboundParts): PendingCall | undefined {
  const call = c.calls.get(f.id as number);
  return call && !call.settled ? call : undefined;
}

/** An intermediate of a pipelined chain nobody asked for yet, holding refs: keep it undecoded. */
function deferrable(call: PendingCall, v: unknown): v is object {
  return call.frame.k !== undefined && !call.observed && v !== null && typeof v === 'object';
}

const onOk: Handler = (f, c) => {
  const call = callOf(f, c);
  if (!call) return returnReceipts(c, f.v);
  try {
    if (deferrable(call, f.v) && c.deferred.defer(call, f.v)) return;
    c.calls.settle(call, true, c.values.decode(f.v, call.host));
  } catch (e) {
    c.calls.settle(call, false, e);
  }
};

const onFail: Handler = (f, c) => {
  const call = callOf(f, c);
  if (!call) return;
  try {
    c.calls.settle(call, false, toCallerError(c.values.decode(f.e, call.host)));
  } catch (e) {
    c.calls.settle(call, false, e);
  }
};

const onNext: Handler = (f, c) => {
  const id = f.id as number;
  const values = f.v as unknown[];
  const s = c.subscriptions.get(id);
  // Values in flight when the renderer unsubscribed: hand back the refs they carry.
  if (!s) return values.forEach((w) => returnReceipts(c, w));
  for (const [i, w] of values.entries()) {
    let v: unknown;
    try {
      v = c.values.decode(w, c.values.eventHost);
    } catch (e) {
      return s.error(e);
    }
    s.next(v);
    if (!c.subscriptions.has(id)) return values.slice(i + 1).forEach((rest) => returnReceipts(c, rest));
  }
  c.outbox.ack(id, values.length);
};

const onError: Handler = (f, c) => {
  const s = c.subscriptions.get(f.id as number);
  if (!s) return;
  c.subscriptions.delete(f.id as number);
  s.error(toCallerError(c.values.decode(f.e, c.values.eventHost)));
};

const onComplete: Handler = (f, c) => {
  const s = c.subscriptions.get(f.id as number);
  if (!s) return;
  c.subscriptions.delete(f.id as number);
  s.complete();
};

const onCallback: Handler = (f, c) => {
  const fn = c.callbacks.get(f.cb as number);
  if (!fn) return;
  let args: unknown[];
  try {
    args = c.values.decodeArgs(f.args, c.values.eventHost);
  } catch {
    return; // arguments main cannot have meant: the callback is not run
  }
  invokeCallback(fn, args);
};

/** `[id, receipts]` pairs of callback sends main gave back. */
const onCallbacksFreed: Handler = (f, c) => c.callbacks.givenBack(f.cbs as number[]);

const onWelcome: Handler = (f, c) => c.welcomed(f.session as string);

const onBye: Handler = (f, c) => c.dismissed(String(f.reason));

/** The handler of each frame kind from main. */
const HANDLERS: ReadonlyMap<unknown, Handler> = new Map<string, Handler>([
  ['ok', onOk],
  ['fail', onFail],
  ['next', onNext],
  ['error', onError],
  ['complete', onComplete],
  ['cb', onCallback],
  ['cbfree', onCallbacksFreed],
  ['welcome', onWelcome],
  ['bye', onBye],
]);

/** Act on one frame from main (unknown kinds are ignored). */
export function dispatchFrame(f: InboundFrame, c: InboundParts): void {
  HANDLERS.get(f.t)?.(f, c);
}
