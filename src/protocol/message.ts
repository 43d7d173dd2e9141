/**
 * Messages: what one transport `send` carries, a single frame or a batch. Each side batches
 * the frames of one tick; each side's intake splits them again here.
 * @packageDocumentation
 */
import { defaultFrameLimits, FrameError, type FrameLimits } from './frame-check.js';
import type { BatchFrame, MainFrame, Message } from './frame-types.js';
import { parseMainFrame } from './parse-main.js';

function split(raw: unknown, maxBatch: number): unknown[] {
  if (typeof raw === 'object' && raw !== null && (raw as { t?: unknown }).t === 'batch') {
    const f = (raw as { f?: unknown }).f;
    if (!Array.isArray(f) || f.length > maxBatch) throw new FrameError(undefined, `Protocol violation: a batch must hold at most ${maxBatch} frames.`);
    return f;
  }
  return [raw];
}

/**
 * Split an inbound renderer message into frames (a batch or a single frame), before each is
 * parsed with `parseRendererFrame`. A batch over `limits.maxBatch` frames is refused.
 */
export function unbatch(raw: unknown, limits: FrameLimits = defaultFrameLimits): unknown[] {
  return split(raw, limits.maxBatch);
}

/**
 * Split a message from main into frames. Main's batches are not capped by default (one tick
 * of replies may be large); pass `maxBatch` to cap them.
 */
export function unbatchMain(raw: unknown, maxBatch = Number.POSITIVE_INFINITY): unknown[] {
  return split(raw, maxBatch);
}

/**
 * Split and validate a whole message from main.
 * @throws FrameError (`E_PROTOCOL`) when the message or any frame in it is malformed.
 */
export function parseMainMessage(raw: unknown, maxBatch?: number): MainFrame[] {
  const frames = unbatchMain(raw, maxBatch);
  const out = new Array<MainFrame>(frames.length);
  for (let i = 0; i < frames.length; i++) out[i] = parseMainFrame(frames[i]);
  return out;
}

/** The message that carries `frames`: the frame itself when there is one, else a batch. */
export function messageOf<F>(frames: readonly F[]): Message<F> {
  return frames.length === 1 ? frames[0]! : batchFrame(frames);
}

/** A batch of frames sent as one message. */
export function batchFrame<F>(frames: readonly F[]): BatchFrame<F> {
  return { t: 'batch', f: frames as F[] };
}

/** The frames of a typed message (the frame itself, or a batch's frames). */
export function framesOf<F extends { t: string }>(m: Message<F>): F[] {
  return m.t === 'batch' ? (m as BatchFrame<F>).f : [m as F];
}
