/**
 * Validation of what a renderer sends: {@link parseRendererFrame} checks a frame field by field
 * before anything routes it. A frame that fails gets a typed `fail` reply when it carries an
 * id, and is dropped with an inspection event when it does not.
 * @packageDocumentation
 */
import { defaultFrameLimits, FrameError, isCount, isId, isRawFrame, kindText, refuse, type FrameLimits, type RawFrame } from './frame-check.js';
import type {
  AckFrame, ApplyFrame, CancelFrame, CurrentFrame, GetFrame, GlobalFrame, HelloFrame, NewFrame, ReleaseFrame,
  RendererFrame, RequestFrame, RequireFrame, SetFrame, SubscribeFrame, UnsubscribeFrame,
} from './frame-types.js';

const isRefId = isId;

function str(frame: RawFrame, key: string, limits: FrameLimits): string {
  const v = frame[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > limits.maxKey) refuse(frame, `field "${key}" must be a non-empty string of at most ${limits.maxKey} characters`);
  return v;
}

function target(frame: RawFrame, limits: FrameLimits): void {
  const hasRef = frame.ref !== undefined;
  const hasOn = frame.on !== undefined;
  if (hasRef === hasOn) refuse(frame, 'a request needs exactly one of "ref" or "on"');
  if (hasRef && !isRefId(frame.ref)) refuse(frame, 'field "ref" must be a positive integer');
  if (hasOn && !isId(frame.on)) refuse(frame, 'field "on" must be a positive integer');
  // "on" names an earlier request; a request's own pipe (opened for its `k` dependents) is
  // keyed by its id, so one pipelined on itself would wait for its own result forever.
  if (hasOn && frame.on === frame.id) refuse(frame, 'a request cannot be pipelined on its own id');
  const path = frame.path;
  if (!Array.isArray(path) || path.length > limits.maxPath) refuse(frame, `field "path" must be an array of at most ${limits.maxPath} strings`);
  for (const p of path) if (typeof p !== 'string' || p.length > limits.maxKey) refuse(frame, 'path elements must be strings');
}

function requestBase(frame: RawFrame): void {
  if (!isId(frame.id)) refuse(frame, 'field "id" must be a positive safe integer');
  if (frame.s !== undefined && frame.s !== 1) refuse(frame, 'field "s" must be 1 when present');
  if (frame.k !== undefined && !(typeof frame.k === 'number' && Number.isSafeInteger(frame.k) && frame.k > 0 && frame.k < 1e6)) refuse(frame, 'field "k" must be a positive integer');
}

function args(frame: RawFrame, limits: FrameLimits, optional = false): void {
  const a = frame.args;
  if (optional && a === undefined) return;
  if (!Array.isArray(a) || a.length > limits.maxArgs) refuse(frame, `field "args" must be an array of at most ${limits.maxArgs} values`);
}

/**
 * Validate one renderer frame (not a batch) and return it typed. Values inside (`args`,
 * `value`) are validated later by the codec as they are decoded, still before routing.
 * @throws FrameError with the frame's id when it had a valid one.
 */
export function parseRendererFrame(raw: unknown, limits: FrameLimits = defaultFrameLimits): RendererFrame {
  if (!isRawFrame(raw)) throw new FrameError(undefined, 'Protocol violation: a frame must be an object.');
  const f = raw;
  switch (f.t) {
    case 'hello':
      if (typeof f.v !== 'number') refuse(f, 'hello needs a numeric version "v"');
      if (!isCount(f.gen)) refuse(f, 'hello needs a generation "gen"');
      if (f.name !== undefined && (typeof f.name !== 'string' || f.name.length > limits.maxKey)) refuse(f, 'hello "name" must be a string');
      return f as unknown as HelloFrame;
    case 'get':
      requestBase(f);
      target(f, limits);
      return f as unknown as GetFrame;
    case 'set':
      requestBase(f);
      target(f, limits);
      if (!('value' in f)) refuse(f, 'set needs a "value"');
      if ((f.path as string[]).length === 0) refuse(f, 'set needs a non-empty path');
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
      if (!isId(f.id)) refuse(f, `${String(f.t)} needs a positive integer "id"`);
      return f as unknown as UnsubscribeFrame | CancelFrame;
    case 'ack':
      if (!isId(f.id)) refuse(f, 'ack needs a positive integer "id"');
      if (!isId(f.n)) refuse(f, 'ack needs a positive integer "n"');
      return f as unknown as AckFrame;
    case 'release': {
      const refs = f.refs;
      if (!Array.isArray(refs) || refs.length % 2 !== 0 || refs.length > 2 * limits.maxBatch * 10) refuse(f, 'release needs "refs" as [refId, count] pairs');
      for (const n of refs) if (!isId(n)) refuse(f, 'release ids and counts must be positive integers');
      return f as unknown as ReleaseFrame;
    }
    default:
      refuse(f, `unknown frame kind ${kindText(f.t)}`);
  }
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
