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
  /**
   * Approximate bytes of one outbound message (a batch of one tick's frames). A tick's frames
   * split into as many messages as it takes to stay under it, so no transport is ever asked to
   * serialize an unbounded message. Default 8 MiB.
   */
  maxMessageBytes: number;
  /**
   * Approximate bytes of one outbound frame (a reply, a stream's values, a callback's
   * arguments). A reply over it is not sent: its caller gets `E_REPLY_TOO_LARGE` and the refs
   * it carried are given back. Default 16 MiB (as `maxFrameBytes`, so what a renderer may send
   * it can also get back).
   */
  maxReplyBytes: number;
  /**
   * High-water mark of a transport's backlog (bytes it was handed and has not passed on; only
   * transports that report one, e.g. WebSocket). Main hands a session's messages over only
   * while the backlog is under it and keeps the rest queued as frames until the transport
   * drains. Default 16 MiB (half the WebSocket host's `maxBufferedBytes`).
   */
  maxBacklogBytes: number;
  /**
   * How long frames may wait for a transport whose backlog does not fall before the session
   * ends as a slow consumer (`E_SLOW_CONSUMER`). Default 10 000 ms.
   */
  slowConsumerMs: number;
  /**
   * How far (bytes as the outbox measures them, `wireSize`) main's queue for a session may grow above the
   * lowest it has been since frames started waiting for the transport, before the session
   * ends as a slow consumer (`E_SLOW_CONSUMER`): a queue that drains may hold one burst of any
   * size, a renderer may not keep adding to a queue it does not read. Default 64 MiB.
   */
  maxQueuedBytes: number;
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
  maxMessageBytes: 8 * 1024 * 1024,
  maxReplyBytes: 16 * 1024 * 1024,
  maxBacklogBytes: 16 * 1024 * 1024,
  slowConsumerMs: 10_000,
  maxQueuedBytes: 64 * 1024 * 1024,
});
