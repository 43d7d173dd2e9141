/**
 * Inbound frames: what each kind of frame from main does on the renderer, one small handler per
 * kind, and {@link dispatchFrame} choosing the handler by the frame's `t`.
 *
 * Every message is split and each frame validated first ({@link receiveMessage}, with the
 * protocol's `parseMainFrame`): a malformed frame is a typed `E_PROTOCOL` the connection closes
 * on, never a `TypeError` in a handler. Replies settle pending calls (or become deferred
 * results), `next`/`error`/`complete` feed subscriptions, `cb` invokes a callback and `cbfree`
 * gives callback sends back, `welcome` and `bye` end the handshake. Refs in a value nobody will
 * decode any more (a late reply, values after an unsubscribe) go back to main as released
 * receipts.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { isRemoraError, type RemoraError } from '../errors.js';
import {
  byeError, parseMainFrame, refsOf, toCallerError, unbatchMain,
  type ByeFrame, type CallbackFrame, type CallbackFreeFrame, type CompleteFrame, type FailFrame, type MainFrame,
  type NextFrame, type OkFrame, type StreamErrorFrame, type WelcomeFrame,
} from '../protocol/index.js';
import { invokeCallback, type Callbacks } from './callbacks.js';
import type { DeferredResults } from './deferred-results.js';
import type { Lifetime } from './lifetime.js';
import type { Outbox } from './outbox.js';
import type { PendingCall, PendingCalls } from './pending-calls.js';
import type { Subscriptions } from './subscriptions.js';
import type { ValueDecoding } from './value-hosts.js';

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
  dismissed(bye: ByeFrame): void;
}

type Handler<F extends MainFrame> = (f: F, c: InboundParts) => void;

/**
 * Split a message from main and hand each valid frame to `onFrame` (which returns false to
 * stop: the connection closed). Returns the `E_PROTOCOL` error of the first malformed frame
 * (the frames before it were handled), or undefined when every frame was well formed.
 */
export function receiveMessage(message: unknown, onFrame: (f: MainFrame) => boolean): RemoraError | undefined {
  let frames: unknown[];
  try {
    frames = unbatchMain(message);
  } catch (e) {
    return protocolError(e);
  }
  for (const raw of frames) {
    let f: MainFrame;
    try {
      f = parseMainFrame(raw);
    } catch (e) {
      return protocolError(e);
    }
    if (!onFrame(f)) return undefined;
  }
  return undefined;
}

function protocolError(e: unknown): RemoraError {
  return isRemoraError(e) ? e : errors.protocol({ what: `a message from main could not be read (${String(e)})` });
}

/**
 * What calls pending on a session that main ended with `bye` fail with (see the protocol's
 * `byeError`). Main refuses a renderer of another protocol version with a `bye` whose code is
 * `E_VERSION` (`toRenderer.versionMismatch`). A main built before the `bye` carried a code sent
 * only a reason starting with `E_VERSION:`; that is recognised too, because a version mismatch
 * is exactly when the two sides come from different releases.
 */
export function byeErrorOf(bye: ByeFrame): RemoraError {
  if (bye.code === undefined && bye.reason.startsWith('E_VERSION')) return errors.version({ detail: bye.reason });
  return byeError(bye);
}

/** Return the receipts of every ref in a value nobody will decode. */
function returnReceipts(c: InboundParts, w: unknown): void {
  const ids: number[] = [];
  refsOf(w, ids);
  for (const id of ids) c.lifetime.returnReceipt(id);
}

/** The call a reply is for, or undefined when it settled already (timed out, aborted). */
function callOf(f: OkFrame | FailFrame, c: InboundParts): PendingCall | undefined {
  const call = c.calls.get(f.id);
  return call && !call.settled ? call : undefined;
}

/** An intermediate of a pipelined chain nobody asked for yet, holding refs: keep it undecoded. */
function deferrable(call: PendingCall, v: unknown): v is object {
  return call.frame.k !== undefined && !call.observed && v !== null && typeof v === 'object';
}

const onOk: Handler<OkFrame> = (f, c) => {
  const call = callOf(f, c);
  if (!call) return returnReceipts(c, f.v);
  try {
    if (deferrable(call, f.v) && c.deferred.defer(call, f.v)) return;
    c.calls.settle(call, true, c.values.decode(f.v, call.host));
  } catch (e) {
    c.calls.settle(call, false, e);
  }
};

const onFail: Handler<FailFrame> = (f, c) => {
  const call = callOf(f, c);
  if (!call) return;
  try {
    c.calls.settle(call, false, toCallerError(c.values.decode(f.e, call.host)));
  } catch (e) {
    c.calls.settle(call, false, e);
  }
};

const onNext: Handler<NextFrame> = (f, c) => {
  const id = f.id;
  const values = f.v;
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

const onError: Handler<StreamErrorFrame> = (f, c) => {
  const s = c.subscriptions.get(f.id);
  if (!s) return;
  c.subscriptions.delete(f.id);
  s.error(toCallerError(c.values.decode(f.e, c.values.eventHost)));
};

const onComplete: Handler<CompleteFrame> = (f, c) => {
  const s = c.subscriptions.get(f.id);
  if (!s) return;
  c.subscriptions.delete(f.id);
  s.complete();
};

const onCallback: Handler<CallbackFrame> = (f, c) => {
  const fn = c.callbacks.get(f.cb);
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
const onCallbacksFreed: Handler<CallbackFreeFrame> = (f, c) => c.callbacks.givenBack(f.cbs);

const onWelcome: Handler<WelcomeFrame> = (f, c) => c.welcomed(f.session);

const onBye: Handler<ByeFrame> = (f, c) => c.dismissed(f);

/** The handler of each frame kind from main. */
const HANDLERS: ReadonlyMap<unknown, Handler<never>> = new Map<string, Handler<never>>([
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

/**
 * Act on one validated frame from main. A kind without a handler (which validation refuses
 * before it gets here) is ignored, even a name every object inherits.
 */
export function dispatchFrame(f: MainFrame, c: InboundParts): void {
  (HANDLERS.get(f.t) as Handler<MainFrame> | undefined)?.(f, c);
}
