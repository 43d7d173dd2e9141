/**
 * Limits a broker enforces per session, so bad or runaway renderers cannot exhaust main.
 * Each limit has its own error code (see `docs/reliability.md`).
 * @packageDocumentation
 */
import { defaultFrameLimits, type FrameLimits } from '../protocol/frames.js';

/** Overflow policy of a stream whose renderer does not keep up. */
export type OverflowPolicy = 'drop-oldest' | 'error';

/** Per-session limits. */
export interface Limits extends FrameLimits {
  /** Deepest nesting of a value (`E_TOO_DEEP`). Default 64. */
  maxDepth: number;
  /** Approximate bytes of values in one frame (`E_FRAME_TOO_LARGE`). Default 16 MiB. */
  maxFrameBytes: number;
  /** Objects one session may hold (`E_TOO_MANY_REFS`). Default 100 000. */
  maxRefs: number;
  /** Calls one session may have in flight (`E_TOO_MANY_PENDING`). Default 10 000. */
  maxPending: number;
  /** Open subscriptions per session (`E_TOO_MANY_SUBSCRIPTIONS`). Default 1 000. */
  maxSubscriptions: number;
  /**
   * Renderer callbacks main holds for one session (functions passed as arguments and not yet
   * garbage-collected in main), and separately the listeners it added through handles; past
   * it, `E_TOO_MANY_REFS`. Default 100 000.
   */
  maxCallbacks: number;
  /** Values main sends on a stream before the renderer acknowledges them. Default 4 096. */
  streamWindow: number;
  /** Values main buffers per stream beyond the window before the overflow policy applies. Default 10 000. */
  streamBuffer: number;
  /** What happens when a stream's buffer is full. Default `error` (`E_OVERFLOW`). */
  overflow: OverflowPolicy;
}

/** The defaults (frozen: a broker copies them, nothing changes them for every broker at once). */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  ...defaultFrameLimits,
  maxDepth: 64,
  maxFrameBytes: 16 * 1024 * 1024,
  maxRefs: 100_000,
  maxPending: 10_000,
  maxSubscriptions: 1_000,
  maxCallbacks: 100_000,
  streamWindow: 4_096,
  streamBuffer: 10_000,
  overflow: 'error',
});
