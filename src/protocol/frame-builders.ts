/**
 * One builder per frame kind, both directions, so no other module writes a frame literal:
 * {@link toMain} builds what a renderer sends, {@link toRenderer} what main sends. Requests
 * are built as drafts; the connection gives them their id when it sends them ({@link issue}).
 * @packageDocumentation
 */
import type { ErrorCode } from '../errors.js';
import type {
  AckFrame, ApplyFrame, ByeFrame, CallbackFrame, CallbackFreeFrame, CancelFrame, CompleteFrame, CurrentFrame,
  FailFrame, GetFrame, GlobalFrame, HelloFrame, NewFrame, NextFrame, OkFrame, ReleaseFrame, RequestDraft,
  RequestFrame, RequireFrame, SetFrame, StreamErrorFrame, SubscribeFrame, UnsubscribeFrame, WelcomeFrame,
} from './frame-types.js';
import type { Wire } from './tags.js';
import { PROTOCOL_VERSION, versionMismatchFrame } from './version.js';

/** Where a request is aimed: `{ ref, path }` (a held ref) or `{ on, path }` (a result in the same message). */
export type TargetOf = ({ ref: number; on?: undefined } | { on: number; ref?: undefined }) & { path: string[] };

/** Extras a subscription may carry: call the target with `args`, or listen to its `event`. */
export interface SubscribeExtras {
  /** Arguments when the target is a function returning the stream. */
  args?: Wire[];
  /** Event name when the target is an event emitter. */
  event?: string;
}

/**
 * Where a target's fields go: `ref` or `on`, then `path`, written in one fixed order with no
 * spread, so every request frame of a kind has one shape (the hot path of every async call).
 */
function aimed<K extends string, X extends object>(t: K, target: TargetOf, extra: X): { t: K; path: string[] } & X {
  return (target.ref !== undefined
    ? { t, ref: target.ref, path: target.path, ...extra }
    : { t, on: target.on, path: target.path, ...extra }) as { t: K; path: string[] } & X;
}

/** Builders of the frames a renderer sends to main. */
export const toMain = {
  /** The handshake; `gen` counts this renderer's reconnections, `name` labels it for inspection. */
  hello: (gen: number, name?: string): HelloFrame =>
    name === undefined ? { t: 'hello', v: PROTOCOL_VERSION, gen } : { t: 'hello', v: PROTOCOL_VERSION, gen, name },
  /** Read the property at the target's path. */
  get: (target: TargetOf): RequestDraft<GetFrame> =>
    (target.ref !== undefined ? { t: 'get', ref: target.ref, path: target.path } : { t: 'get', on: target.on, path: target.path }) as RequestDraft<GetFrame>,
  /** Assign `value` to the last element of the target's path. */
  set: (target: TargetOf, value: Wire): RequestDraft<SetFrame> =>
    (target.ref !== undefined ? { t: 'set', ref: target.ref, path: target.path, value } : { t: 'set', on: target.on, path: target.path, value }) as RequestDraft<SetFrame>,
  /** Call the function at the target's path. */
  apply: (target: TargetOf, args: Wire[]): RequestDraft<ApplyFrame> =>
    (target.ref !== undefined ? { t: 'apply', ref: target.ref, path: target.path, args } : { t: 'apply', on: target.on, path: target.path, args }) as RequestDraft<ApplyFrame>,
  /** Construct with the constructor at the target's path. */
  new: (target: TargetOf, args: Wire[]): RequestDraft<NewFrame> =>
    (target.ref !== undefined ? { t: 'new', ref: target.ref, path: target.path, args } : { t: 'new', on: target.on, path: target.path, args }) as RequestDraft<NewFrame>,
  /** Get an exposed module. */
  require: (name: string): RequestDraft<RequireFrame> => ({ t: 'require', name }),
  /** Get an exposed global. */
  global: (name: string): RequestDraft<GlobalFrame> => ({ t: 'global', name }),
  /** Get the caller's own window or webContents. */
  current: (what: string): RequestDraft<CurrentFrame> => ({ t: 'current', what }),
  /** Subscribe to the stream at the target. */
  sub: (target: TargetOf, extras: SubscribeExtras = {}): RequestDraft<SubscribeFrame> =>
    aimed('sub', target, extras) as RequestDraft<SubscribeFrame>,
  /** End subscription `id`. */
  unsub: (id: number): UnsubscribeFrame => ({ t: 'unsub', id }),
  /** Grant `n` more values of stream `id`. */
  ack: (id: number, n: number): AckFrame => ({ t: 'ack', id, n }),
  /** Abort call or subscription `id`. */
  cancel: (id: number): CancelFrame => ({ t: 'cancel', id }),
  /** Release refs: `[refId, count, ...]` pairs. */
  release: (refs: number[]): ReleaseFrame => ({ t: 'release', refs }),
};

/**
 * Give a draft its id (and `s: 1` for a blocking call, `k` for the number of requests
 * pipelined on it), making it a frame that can be sent. Mutates and returns the draft.
 */
export function issue<F extends RequestFrame | SubscribeFrame>(draft: RequestDraft<F>, id: number, extra?: { s?: 1; k?: number }): F {
  const f = draft as RequestDraft<F> & { id: number };
  f.id = id;
  if (extra?.s !== undefined) f.s = extra.s;
  if (extra?.k !== undefined) f.k = extra.k;
  return f as unknown as F;
}

/** Builders of the frames main sends to a renderer. */
export const toRenderer = {
  /** The handshake answer. */
  welcome: (session: string, gen: number): WelcomeFrame => ({ t: 'welcome', v: PROTOCOL_VERSION, session, gen }),
  /** A successful reply to request `id`. */
  ok: (id: number, v: Wire): OkFrame => ({ t: 'ok', id, v }),
  /** A failed reply to request `id`; `e` is an encoded error. */
  fail: (id: number, e: Wire): FailFrame => ({ t: 'fail', id, e }),
  /** Invoke renderer callback `cb`. */
  cb: (cb: number, args: Wire[]): CallbackFrame => ({ t: 'cb', cb, args }),
  /** Main let go of callbacks: `[id, receipts, ...]` pairs. */
  cbfree: (cbs: number[]): CallbackFreeFrame => ({ t: 'cbfree', cbs }),
  /** Values of stream `id`. */
  next: (id: number, v: Wire[]): NextFrame => ({ t: 'next', id, v }),
  /** Stream `id` failed; `e` is an encoded error. */
  error: (id: number, e: Wire): StreamErrorFrame => ({ t: 'error', id, e }),
  /** Stream `id` completed. */
  complete: (id: number): CompleteFrame => ({ t: 'complete', id }),
  /** Main closes the session; `code` names why when it is one of remora's codes. */
  bye: (reason: string, code?: ErrorCode): ByeFrame => (code === undefined ? { t: 'bye', reason } : { t: 'bye', reason, code }),
  /** The `bye` for a hello of another protocol version (code `E_VERSION`). */
  versionMismatch: versionMismatchFrame,
};

