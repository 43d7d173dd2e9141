/**
 * Validation of what main sends: {@link parseMainFrame} checks a frame from main field by field,
 * so a malformed frame becomes a typed `E_PROTOCOL` error the renderer can close on, never a
 * `TypeError` deep in a handler. Values inside (`v`, `e`, `args`) are checked by the decoder.
 * @packageDocumentation
 */
import { isErrorCode } from '../errors.js';
import { FrameError, isCount, isId, isRawFrame, isReplyId, kindText, refuse, type RawFrame } from './frame-check.js';
import type {
  ByeFrame, CallbackFrame, CallbackFreeFrame, CompleteFrame, FailFrame, MainFrame, NextFrame, OkFrame,
  StreamErrorFrame, WelcomeFrame,
} from './frame-types.js';

const FROM_MAIN = ' from main';

function no(f: RawFrame, what: string): never {
  refuse(f, what, FROM_MAIN);
}

function has(f: RawFrame, key: string): void {
  if (!(key in f)) no(f, `${String(f.t)} needs a "${key}"`);
}

function streamId(f: RawFrame): void {
  if (!isId(f.id)) no(f, `${String(f.t)} needs a positive integer "id"`);
}

/**
 * Validate one frame from main (not a batch) and return it typed.
 * @throws FrameError (`E_PROTOCOL`) for anything that is not a well-formed main frame.
 */
export function parseMainFrame(raw: unknown): MainFrame {
  if (!isRawFrame(raw)) throw new FrameError(undefined, 'Protocol violation: a frame from main must be an object.');
  const f = raw;
  switch (f.t) {
    case 'welcome':
      if (typeof f.v !== 'number') no(f, 'welcome needs a numeric version "v"');
      if (typeof f.session !== 'string') no(f, 'welcome needs a "session" string');
      if (!isCount(f.gen)) no(f, 'welcome needs a generation "gen"');
      return f as unknown as WelcomeFrame;
    case 'ok':
    case 'fail':
      if (!isReplyId(f.id)) no(f, `${f.t} needs an integer "id"`);
      has(f, f.t === 'ok' ? 'v' : 'e');
      return f as unknown as OkFrame | FailFrame;
    case 'cb':
      if (!isId(f.cb)) no(f, 'cb needs a positive integer "cb"');
      if (!Array.isArray(f.args)) no(f, 'cb needs an "args" array');
      return f as unknown as CallbackFrame;
    case 'cbfree': {
      const cbs = f.cbs;
      if (!Array.isArray(cbs) || cbs.length % 2 !== 0) no(f, 'cbfree needs "cbs" as [callbackId, receipts] pairs');
      for (const n of cbs) if (!isId(n)) no(f, 'cbfree ids and receipts must be positive integers');
      return f as unknown as CallbackFreeFrame;
    }
    case 'next':
      streamId(f);
      if (!Array.isArray(f.v)) no(f, 'next needs a "v" array');
      return f as unknown as NextFrame;
    case 'error':
      streamId(f);
      has(f, 'e');
      return f as unknown as StreamErrorFrame;
    case 'complete':
      streamId(f);
      return f as unknown as CompleteFrame;
    case 'bye':
      if (typeof f.reason !== 'string') no(f, 'bye needs a "reason" string');
      if (f.code !== undefined && !isErrorCode(f.code)) no(f, 'bye "code" must be a remora error code');
      return f as unknown as ByeFrame;
    default:
      no(f, `unknown frame kind ${kindText(f.t)}`);
  }
}
