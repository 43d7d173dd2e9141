/**
 * The frame types of the wire protocol, both directions: one interface per message, the union
 * of what a renderer sends ({@link RendererFrame}) and of what main sends ({@link MainFrame}),
 * and a message as one frame or a batch. Types only: builders, parsers and limits live beside.
 * @packageDocumentation
 */
import type { ErrorCode } from '../errors.js';
import type { Wire } from './tags.js';

/** Where a request is aimed: a ref id the session holds, or the pending result of request `on`. */
export interface Target {
  /** Ref id (from an earlier reply). */
  ref?: number;
  /** Id of an earlier request in the same batch whose result is the target (promise pipelining). */
  on?: number;
  /** Property path walked from the target before the operation. */
  path: string[];
}

/** Fields every request carries. */
export interface RequestBase {
  /** Correlation id, a positive safe integer unique among the renderer's pending calls. */
  id: number;
  /** 1 when the renderer is blocked waiting for this reply (synchronous call). */
  s?: 1;
  /** Number of pipelined requests in the same batch that target this request's result. */
  k?: number;
}

/** Read a property (the whole path). */
export interface GetFrame extends RequestBase, Target { t: 'get' }
/** Assign the last path element. */
export interface SetFrame extends RequestBase, Target { t: 'set'; value: Wire }
/** Call the function at the path (with `this` = its parent). */
export interface ApplyFrame extends RequestBase, Target { t: 'apply'; args: Wire[] }
/** Construct with the constructor at the path. */
export interface NewFrame extends RequestBase, Target { t: 'new'; args: Wire[] }
/** Get an exposed module by name. */
export interface RequireFrame extends RequestBase { t: 'require'; name: string }
/** Get an exposed global by name. */
export interface GlobalFrame extends RequestBase { t: 'global'; name: string }
/** Get a handle to the caller's own window or webContents (Electron). */
export interface CurrentFrame extends RequestBase { t: 'current'; what: string }
/**
 * Subscribe to the stream at the target: an Observable value, or (with `event`) an emitter's
 * event. `id` is the subscription id; later `next`/`error`/`complete` frames carry it.
 */
export interface SubscribeFrame extends RequestBase, Target { t: 'sub'; args?: Wire[]; event?: string }
/** End a subscription. */
export interface UnsubscribeFrame { t: 'unsub'; id: number }
/** The renderer consumed `n` values of stream `id` (credit-based flow control). */
export interface AckFrame { t: 'ack'; id: number; n: number }
/** Abort a pending call or subscription. */
export interface CancelFrame { t: 'cancel'; id: number }
/** Release refs: flat pairs `[refId, count, refId, count, ...]`. */
export interface ReleaseFrame { t: 'release'; refs: number[] }
/** Protocol handshake; must be the first frame. */
export interface HelloFrame { t: 'hello'; v: number; gen: number; name?: string }
/** Several frames sent as one message. */
export interface BatchFrame<F> { t: 'batch'; f: F[] }

/** A request that expects an `ok`/`fail` reply. */
export type RequestFrame = GetFrame | SetFrame | ApplyFrame | NewFrame | RequireFrame | GlobalFrame | CurrentFrame;
/** Every frame a renderer may send. */
export type RendererFrame =
  | HelloFrame
  | RequestFrame
  | SubscribeFrame
  | UnsubscribeFrame
  | CancelFrame
  | AckFrame
  | ReleaseFrame;

/** Handshake answer. */
export interface WelcomeFrame { t: 'welcome'; v: number; session: string; gen: number }
/** Successful reply. */
export interface OkFrame { t: 'ok'; id: number; v: Wire }
/** Failed reply; `e` is an encoded error. */
export interface FailFrame { t: 'fail'; id: number; e: Wire }
/** Invoke a renderer callback (fire and forget). */
export interface CallbackFrame { t: 'cb'; cb: number; args: Wire[] }
/**
 * Main let go of these callbacks: `[id, receipts, ...]` pairs, `receipts` being how many times
 * main received that id for the proxy it dropped. The renderer forgets a function once main has
 * given back every send of it (a send still in flight keeps it).
 */
export interface CallbackFreeFrame { t: 'cbfree'; cbs: number[] }
/** Stream values for a subscription (batched per tick). */
export interface NextFrame { t: 'next'; id: number; v: Wire[] }
/** Stream error. */
export interface StreamErrorFrame { t: 'error'; id: number; e: Wire }
/** Stream completion. */
export interface CompleteFrame { t: 'complete'; id: number }
/**
 * Main is closing the session. `code` names why when it is one of remora's codes (`E_VERSION`
 * for a refused handshake); `reason` is the text for people.
 */
export interface ByeFrame { t: 'bye'; reason: string; code?: ErrorCode }

/** Every frame main may send. */
export type MainFrame =
  | WelcomeFrame
  | OkFrame
  | FailFrame
  | CallbackFrame
  | CallbackFreeFrame
  | NextFrame
  | StreamErrorFrame
  | CompleteFrame
  | ByeFrame;

/** Any frame, either direction, possibly batched. */
export type Frame = RendererFrame | MainFrame | BatchFrame<RendererFrame | MainFrame>;

/** One transport message: a single frame or a batch of them. */
export type Message<F> = F | BatchFrame<F>;
/** A message a renderer sends. */
export type RendererMessage = Message<RendererFrame>;
/** A message main sends. */
export type MainMessage = Message<MainFrame>;

/** The kind (`t`) of a renderer frame. */
export type RendererFrameKind = RendererFrame['t'];
/** The kind (`t`) of a main frame. */
export type MainFrameKind = MainFrame['t'];

/**
 * A request or subscription before the connection gives it an id (and, for a blocking call,
 * `s`; for a pipelined one, `k`).
 */
export type RequestDraft<F extends RequestFrame | SubscribeFrame = RequestFrame | SubscribeFrame> =
  F extends unknown ? Omit<F, 'id' | 's' | 'k'> & { id?: number; s?: 1; k?: number } : never;
