/**
 * Frame types of the wire protocol and their validation.
 *
 * Renderer → main frames are validated field by field by {@link parseRendererFrame} before
 * anything routes them; a frame that fails gets a typed `fail` reply when it carries an id,
 * and is dropped with an inspection event when it does not.
 * @packageDocumentation
 */
import { RemoraError } from '../errors.js';
import type { Wire } from './codec.js';

/** The protocol version both sides must agree on in the handshake. */
export const PROTOCOL_VERSION = 2;

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
interface RequestBase {
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
/** Main is closing the session. */
export interface ByeFrame { t: 'bye'; reason: string }

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

/** Limits on frame shape that do not depend on values. */
export interface FrameLimits {
  /** Longest property path. Default 32. */
  maxPath: number;
  /** Longest name or key (module, global, property). Default 1024. */
  maxKey: number;
  /** Most frames in one batch. Default 10 000. */
  maxBatch: number;
  /** Most arguments in one call. Default 1024. */
  maxArgs: number;
}

/** Default frame limits. */
export const defaultFrameLimits: FrameLimits = { maxPath: 32, maxKey: 1024, maxBatch: 10_000, maxArgs: 1024 };

/** The error raised for a frame that failed validation; `id` is set when the frame had one. */
export class FrameError extends RemoraError {
  constructor(readonly id: number | undefined, message: string, code: 'E_PROTOCOL' | 'E_VERSION' | 'E_FRAME_TOO_LARGE' = 'E_PROTOCOL') {
    super(code, message);
  }
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isRefId = isId;

function fail(frame: Record<string, unknown>, what: string): never {
  const id = isId(frame.id) ? frame.id : undefined;
  throw new FrameError(id, `Protocol violation: ${what}. The frame was refused; check that both sides run the same remora version.`);
}

function str(frame: Record<string, unknown>, key: string, limits: FrameLimits): string {
  const v = frame[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > limits.maxKey) fail(frame, `field "${key}" must be a non-empty string of at most ${limits.maxKey} characters`);
  return v;
}

function target(frame: Record<string, unknown>, limits: FrameLimits): void {
  const hasRef = frame.ref !== undefined;
  const hasOn = frame.on !== undefined;
  if (hasRef === hasOn) fail(frame, 'a request needs exactly one of "ref" or "on"');
  if (hasRef && !isRefId(frame.ref)) fail(frame, 'field "ref" must be a positive integer');
  if (hasOn && !isId(frame.on)) fail(frame, 'field "on" must be a positive integer');
  const path = frame.path;
  if (!Array.isArray(path) || path.length > limits.maxPath) fail(frame, `field "path" must be an array of at most ${limits.maxPath} strings`);
  for (const p of path) if (typeof p !== 'string' || p.length > limits.maxKey) fail(frame, 'path elements must be strings');
}

function requestBase(frame: Record<string, unknown>): void {
  if (!isId(frame.id)) fail(frame, 'field "id" must be a positive safe integer');
  if (frame.s !== undefined && frame.s !== 1) fail(frame, 'field "s" must be 1 when present');
  if (frame.k !== undefined && !(typeof frame.k === 'number' && Number.isSafeInteger(frame.k) && frame.k > 0 && frame.k < 1e6)) fail(frame, 'field "k" must be a positive integer');
}

function args(frame: Record<string, unknown>, limits: FrameLimits, optional = false): void {
  const a = frame.args;
  if (optional && a === undefined) return;
  if (!Array.isArray(a) || a.length > limits.maxArgs) fail(frame, `field "args" must be an array of at most ${limits.maxArgs} values`);
}

/**
 * Validate one renderer frame (not a batch) and return it typed. Values inside (`args`,
 * `value`) are validated later by the codec as they are decoded, still before routing.
 * @throws FrameError with the frame's id when it had a valid one.
 */
export function parseRendererFrame(raw: unknown, limits: FrameLimits = defaultFrameLimits): RendererFrame {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FrameError(undefined, 'Protocol violation: a frame must be an object.');
  const f = raw as Record<string, unknown>;
  switch (f.t) {
    case 'hello':
      if (typeof f.v !== 'number') fail(f, 'hello needs a numeric version "v"');
      if (typeof f.gen !== 'number' || !Number.isSafeInteger(f.gen) || f.gen < 0) fail(f, 'hello needs a generation "gen"');
      if (f.name !== undefined && (typeof f.name !== 'string' || f.name.length > limits.maxKey)) fail(f, 'hello "name" must be a string');
      return f as unknown as HelloFrame;
    case 'get':
      requestBase(f);
      target(f, limits);
      return f as unknown as GetFrame;
    case 'set':
      requestBase(f);
      target(f, limits);
      if (!('value' in f)) fail(f, 'set needs a "value"');
      if ((f.path as string[]).length === 0) fail(f, 'set needs a non-empty path');
      return f as unknown as SetFrame;
    case 'apply':
    case 'new':
      requestBase(f);
      target(f, limits);
      args(f, limits);
      return f as unknown as ApplyFrame | NewFrame;
    case 'require':
    case 'global':
      requestBase(f);
      str(f, 'name', limits);
      return f as unknown as RequireFrame | GlobalFrame;
    case 'current':
      requestBase(f);
      str(f, 'what', limits);
      return f as unknown as CurrentFrame;
    case 'sub':
      requestBase(f);
      target(f, limits);
      args(f, limits, true);
      if (f.event !== undefined) str(f, 'event', limits);
      return f as unknown as SubscribeFrame;
    case 'unsub':
    case 'cancel':
      if (!isId(f.id)) fail(f, `${String(f.t)} needs a positive integer "id"`);
      return f as unknown as UnsubscribeFrame | CancelFrame;
    case 'ack':
      if (!isId(f.id)) fail(f, 'ack needs a positive integer "id"');
      if (!isId(f.n)) fail(f, 'ack needs a positive integer "n"');
      return f as unknown as AckFrame;
    case 'release': {
      const refs = f.refs;
      if (!Array.isArray(refs) || refs.length % 2 !== 0 || refs.length > 2 * limits.maxBatch * 10) fail(f, 'release needs "refs" as [refId, count] pairs');
      for (const n of refs) if (!isId(n)) fail(f, 'release ids and counts must be positive integers');
      return f as unknown as ReleaseFrame;
    }
    default:
      fail(f, `unknown frame kind ${JSON.stringify(typeof f.t === 'string' ? f.t.slice(0, 16) : typeof f.t)}`);
  }
}

/** Split an inbound message into frames (a batch or a single frame). */
export function unbatch(raw: unknown, limits: FrameLimits = defaultFrameLimits): unknown[] {
  if (typeof raw === 'object' && raw !== null && (raw as { t?: unknown }).t === 'batch') {
    const f = (raw as { f?: unknown }).f;
    if (!Array.isArray(f) || f.length > limits.maxBatch) throw new FrameError(undefined, `Protocol violation: a batch must hold at most ${limits.maxBatch} frames.`);
    return f;
  }
  return [raw];
}

/** True for frames that expect an `ok`/`fail` reply. */
export function isRequest(f: RendererFrame): f is RequestFrame {
  switch (f.t) {
    case 'get': case 'set': case 'apply': case 'new': case 'require': case 'global': case 'current':
      return true;
    default:
      return false;
  }
}
