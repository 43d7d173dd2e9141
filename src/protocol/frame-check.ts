/**
 * What frame validation shares: the shape limits, the error a refused frame raises, and the
 * field checks both parsers (renderer frames on main, main frames on the renderer) use.
 * @packageDocumentation
 */
import { RemoraError } from '../errors.js';

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

/** A frame as the parsers see it before it is typed. */
export type RawFrame = Record<string, unknown>;

/** A positive safe integer (request, subscription, ref and callback ids). */
export const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** A safe integer of either sign (reply ids: main numbers its detached promises below zero). */
export const isReplyId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A non-negative safe integer (a generation). */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** True for a value the parsers can read fields from (an object that is not an array). */
export const isRawFrame = (raw: unknown): raw is RawFrame => typeof raw === 'object' && raw !== null && !Array.isArray(raw);

/** Refuse a frame: throws a {@link FrameError} carrying the frame's id when it had a valid one. */
export function refuse(frame: RawFrame, what: string, from = ''): never {
  const id = isId(frame.id) ? frame.id : undefined;
  throw new FrameError(id, `Protocol violation: ${what}. The frame${from} was refused; check that both sides run the same remora version.`);
}

/** A short, safe description of an unknown frame kind (for the refusal message). */
export function kindText(t: unknown): string {
  return JSON.stringify(typeof t === 'string' ? t.slice(0, 16) : typeof t);
}
