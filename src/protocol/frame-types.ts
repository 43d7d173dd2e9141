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
export interface GetFrame extends RequestBase, Target {
  /** Kind: `get`. */
  t: 'get';
}
/** Assign the last path element. */
export interface SetFrame extends RequestBase, Target {
  /** Kind: `set`. */
  t: 'set';
  /** The value to assign (encoded). */
  value: Wire;
}
/** Call the function at the path (with `this` = its parent). */
export interface ApplyFrame extends RequestBase, Target {
  /** Kind: `apply`. */
  t: 'apply';
  /** The arguments (encoded). */
  args: Wire[];
}
/** Construct with the constructor at the path. */
export interface NewFrame extends RequestBase, Target {
  /** Kind: `new`. */
  t: 'new';
  /** The constructor arguments (encoded). */
  args: Wire[];
}
/** Get an exposed module by name. */
export interface RequireFrame extends RequestBase {
  /** Kind: `require`. */
  t: 'require';
  /** The module name main exposed. */
  name: string;
}
/** Get an exposed global by name. */
export interface GlobalFrame extends RequestBase {
  /** Kind: `global`. */
  t: 'global';
  /** The global name main exposed. */
  name: string;
}
/** Get a handle to the caller's own window or webContents (Electron). */
export interface CurrentFrame extends RequestBase {
  /** Kind: `current`. */
  t: 'current';
  /** What to get: `window` or `webContents`. */
  what: string;
}
/**
 * Subscribe to the stream at the target: an Observable value, or (with `event`) an emitter's
 * event. `id` is the subscription id; later `next`/`error`/`complete` frames carry it.
 */
export interface SubscribeFrame extends RequestBase, Target {
  /** Kind: `sub`. */
  t: 'sub';
  /** Arguments when the target is a function returning the stream. */
  args?: Wire[];
  /** Event name when the target is an event emitter. */
  event?: string;
}
/** End a subscription. */
export interface UnsubscribeFrame {
  /** Kind: `unsub`. */
  t: 'unsub';
  /** The subscription to end. */
  id: number;
}
/** The renderer consumed `n` values of stream `id` (credit-based flow control). */
export interface AckFrame {
  /** Kind: `ack`. */
  t: 'ack';
  /** The subscription. */
  id: number;
  /** How many values were consumed. */
  n: number;
}
/** Abort a pending call or subscription. */
export interface CancelFrame {
  /** Kind: `cancel`. */
  t: 'cancel';
  /** The call or subscription to abort. */
  id: number;
}
/** Release refs: flat pairs `[refId, count, refId, count, ...]`. */
export interface ReleaseFrame {
  /** Kind: `release`. */
  t: 'release';
  /** `[refId, count, ...]` pairs. */
  refs: number[];
}
/** Protocol handshake; must be the first frame. */
export interface HelloFrame {
  /** Kind: `hello`. */
  t: 'hello';
  /** The protocol version the renderer speaks. */
  v: number;
  /** The renderer's generation (counts its reconnections). */
  gen: number;
  /** A label for inspection. */
  name?: string;
}
/** Several frames sent as one message. */
export interface BatchFrame<F> {
  /** Kind: `batch`. */
  t: 'batch';
  /** The frames, in order. */
  f: F[];
}

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
export interface WelcomeFrame {
  /** Kind: `welcome`. */
  t: 'welcome';
  /** The protocol version main speaks. */
  v: number;
  /** The session id main assigned. */
  session: string;
  /** The generation main accepted. */
  gen: number;
}
/** Successful reply. */
export interface OkFrame {
  /** Kind: `ok`. */
  t: 'ok';
  /** The request answered. */
  id: number;
  /** The result (encoded). */
  v: Wire;
}
/** Failed reply; `e` is an encoded error. */
export interface FailFrame {
  /** Kind: `fail`. */
  t: 'fail';
  /** The request answered. */
  id: number;
  /** The error (encoded). */
  e: Wire;
}
/** Invoke a renderer callback (fire and forget). */
export interface CallbackFrame {
  /** Kind: `cb`. */
  t: 'cb';
  /** The callback id. */
  cb: number;
  /** The arguments (encoded). */
  args: Wire[];
}
/**
 * Main let go of these callbacks: `[id, receipts, ...]` pairs, `receipts` being how many times
 * main received that id for the proxy it dropped. The renderer forgets a function once main has
 * given back every send of it (a send still in flight keeps it).
 */
export interface CallbackFreeFrame {
  /** Kind: `cbfree`. */
  t: 'cbfree';
  /** `[callbackId, receipts, ...]` pairs. */
  cbs: number[];
}
/** Stream values for a subscription (batched per tick). */
export interface NextFrame {
  /** Kind: `next`. */
  t: 'next';
  /** The subscription. */
  id: number;
  /** The values (encoded), in order. */
  v: Wire[];
}
/** Stream error. */
export interface StreamErrorFrame {
  /** Kind: `error`. */
  t: 'error';
  /** The subscription. */
  id: number;
  /** The error (encoded). */
  e: Wire;
}
/** Stream completion. */
export interface CompleteFrame {
  /** Kind: `complete`. */
  t: 'complete';
  /** The subscription. */
  id: number;
}
/**
 * Main is closing the session. `code` names why when it is one of remora's codes (`E_VERSION`
 * for a refused handshake); `reason` is the text for people.
 */
export interface ByeFrame {
  /** Kind: `bye`. */
  t: 'bye';
  /** Why, for people. */
  reason: string;
  /** Why, as one of remora's codes (`E_VERSION` for a refused handshake). */
  code?: ErrorCode;
}

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
  F extends unknown ? Omit<F, 'id' | 's' | 'k'> & DraftIds : never;

/** What `issue` adds to a draft (see {@link RequestBase}); absent until then. */
export interface DraftIds {
  /** The correlation id, once issued. */
  id?: number;
  /** 1 for a blocking call. */
  s?: 1;
  /** Requests pipelined on this one. */
  k?: number;
}
