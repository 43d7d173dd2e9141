/**
 * Pacing of one session's outbox over a transport that reports its backlog (`backlog()` and
 * `drained$`, e.g. WebSocket): why a burst is answered in full while a peer that stops
 * reading cannot grow main's memory.
 *
 * Main hands a message over only while the transport's backlog is under `maxBacklogBytes`;
 * the rest wait in the outbox as frames and leave, in order, each time the transport says a
 * message left (`drained$`). A peer is a slow consumer (`E_SLOW_CONSUMER`, the session ends)
 * when frames wait and either
 * - the backlog has not fallen for `slowConsumerMs` (it does not read at all), or
 * - the queue grew more than `maxQueuedBytes` above the lowest it has been since frames
 *   started waiting (it keeps asking faster than it reads). The baseline is taken at the end
 *   of the task in which frames started waiting, so the burst that filled the backlog (one
 *   message's replies, however large) may wait whatever its size while it drains.
 * @packageDocumentation
 */
import type { Subscription } from 'rxjs';
import * as errors from '../errors/factories.js';
import type { CloseReason, Transport } from '../transport.js';
import type { Limits } from './limits.js';

/** The queue a pacer watches (the protocol's `TickOutbox` of one session). */
export interface PacedQueue {
  /** True while messages wait for the transport. */
  readonly blocked: boolean;
  /** Bytes queued now. */
  readonly queuedBytes: number;
  /** The transport takes more: deliver waiting messages while it does. */
  resume(): void;
}

/** A transport that reports its backlog. */
export type PacedTransport = Transport & Required<Pick<Transport, 'backlog' | 'drained$'>>;

/** True when `t` reports its backlog, so main can pace it. */
export function isPaced(t: Transport): t is PacedTransport {
  return typeof t.backlog === 'function' && t.drained$ !== undefined;
}

/** The limits pacing uses. */
export type PacingLimits = Pick<Limits, 'maxBacklogBytes' | 'slowConsumerMs' | 'maxQueuedBytes'>;

/** Watches one paced transport for one session's outbox. */
export class Pacer {
  private readonly subscription: Subscription;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Backlog when the stall clock last looked, and when it last saw progress. */
  private lastBacklog = 0;
  private lastProgress = 0;
  /** Lowest queued bytes since frames started waiting; undefined until the blocking task ended. */
  private low: number | undefined;
  private baselinePending = false;
  private stopped = false;

  constructor(
    private readonly transport: PacedTransport,
    private readonly queue: PacedQueue,
    private readonly limits: PacingLimits,
    /** End the session as a slow consumer. */
    private readonly slow: (reason: CloseReason) => void,
  ) {
    this.subscription = transport.drained$.subscribe(() => this.drained());
  }

  /** True while the transport takes another message now. */
  ready(): boolean {
    return this.transport.backlog() < this.limits.maxBacklogBytes;
  }

  /** The queue may have changed: start, keep or stop watching, and check its growth. */
  watch(): void {
    if (this.stopped) return;
    if (!this.queue.blocked) {
      this.reset();
      return;
    }
    if (this.timer === undefined) this.arm();
    if (this.low === undefined) return;
    const queued = this.queue.queuedBytes;
    if (queued < this.low) this.low = queued;
    else if (queued - this.low > this.limits.maxQueuedBytes) {
      const e = errors.slowConsumer({ buffered: queued, max: this.limits.maxQueuedBytes });
      this.cutOff(`${e.message} (main's queue for this session grew by ${queued - this.low} bytes while it was not read)`);
    }
  }

  /** Session end: stop watching. */
  stop(): void {
    this.stopped = true;
    this.reset();
    this.subscription.unsubscribe();
  }

  private drained(): void {
    if (this.stopped) return;
    this.lastProgress = performance.now();
    if (!this.queue.blocked) return;
    this.queue.resume();
    this.watch();
  }

  /** Frames started waiting: run the stall clock, and take the growth baseline once this task ends. */
  private arm(): void {
    this.lastBacklog = this.transport.backlog();
    this.lastProgress = performance.now();
    this.timer = setTimeout(this.tick, this.limits.slowConsumerMs);
    this.timer.unref?.();
    if (!this.baselinePending) {
      this.baselinePending = true;
      setImmediate(() => {
        this.baselinePending = false;
        if (!this.stopped && this.queue.blocked && this.low === undefined) this.low = this.queue.queuedBytes;
      });
    }
  }

  private reset(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.low = undefined;
  }

  /** The stall clock ran out; look after the I/O callbacks of this loop turn ran (a stalled main is not a stalled peer). */
  private readonly tick = (): void => {
    setImmediate(() => {
      this.timer = undefined;
      if (this.stopped || !this.queue.blocked) return;
      const backlog = this.transport.backlog();
      const now = performance.now();
      if (backlog < this.lastBacklog) this.lastProgress = now;
      this.lastBacklog = backlog;
      const idle = now - this.lastProgress;
      if (idle < this.limits.slowConsumerMs) {
        this.queue.resume();
        if (!this.queue.blocked) {
          this.reset();
          return;
        }
        this.timer = setTimeout(this.tick, this.limits.slowConsumerMs - idle);
        this.timer.unref?.();
        return;
      }
      const e = errors.slowConsumer({ buffered: backlog, max: this.limits.maxBacklogBytes });
      this.cutOff(`${e.message} (nothing left for ${Math.round(idle)} ms while ${this.queue.queuedBytes} bytes waited in main)`);
    });
  };

  private cutOff(detail: string): void {
    this.stop();
    this.slow({ kind: 'slow-consumer', code: 'E_SLOW_CONSUMER', detail });
  }
}
