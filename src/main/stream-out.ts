/**
 * One outbound stream (a renderer's subscription) with credit-based flow control.
 *
 * Values go out batched per tick in `next` frames. Main sends at most `window` values the
 * renderer has not acknowledged; beyond that they wait in a buffer of at most `buffer`
 * values, and past that the overflow policy applies: `drop-oldest` discards the oldest
 * waiting value, `error` ends the stream with `E_OVERFLOW` and tears down its source. A slow
 * or frozen renderer therefore costs main at most `window + buffer` values per stream.
 *
 * Values are encoded when they arrive, so a value that is never sent (dropped by the policy,
 * or still waiting when the renderer unsubscribes) is handed back to the sink's `discard`,
 * which returns the by-reference objects it carried.
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import { toRenderer, type MainFrame, type Wire } from '../protocol/index.js';
import type { Pool } from './budget.js';
import type { OverflowPolicy } from './limits.js';

/** What a stream needs from its session. */
export interface StreamSink {
  /** Queue a frame for the next flush. */
  push(frame: MainFrame): void;
  /** Ask for a flush at the end of this tick. */
  schedule(stream: StreamOut): void;
  /** Encode a value for the wire, `owner` owning its by-ref objects (counted in the session). */
  encode(v: unknown, owner: Actor | undefined): Wire;
  /** Encode an error for the wire (`owner` as for {@link StreamSink.encode}). */
  encodeError(e: unknown, owner: Actor | undefined): Wire;
  /** An encoded value will never be sent: undo what encoding it registered (its refs). */
  discard(w: Wire): void;
  /** The stream ended (either side); forget it. */
  streamEnded(stream: StreamOut): void;
}

/** Flow-control settings. */
export interface StreamLimits {
  /** Values sent and not yet acknowledged, at most. */
  window: number;
  /** Values waiting for credit, at most; then `overflow` applies. */
  buffer: number;
  /** `drop-oldest` or `error` (`E_OVERFLOW`). */
  overflow: OverflowPolicy;
  /** The broker-wide total of values buffered beyond windows (none: unbounded); when it is spent, the overflow policy applies. */
  pool?: Pool;
}

/**
 * An outbound stream: the session creates one per `sub` frame, feeds it the source's
 * values, and routes the renderer's `ack` and `unsub` to it.
 */
export class StreamOut {
  private pending: Wire[] = [];
  private waiting: Wire[] = [];
  private waitingHead = 0;
  private inFlight = 0;
  private scheduled = false;
  private done = false;
  /** Tear down the source (set once the source is attached). */
  teardown: (() => void) | undefined;
  /** The actor whose source feeds the stream: it owns the objects its values send by reference. */
  private owner: Actor | undefined;
  /** Values dropped by the `drop-oldest` policy so far. */
  dropped = 0;

  constructor(readonly id: number, private readonly sink: StreamSink, private readonly limits: StreamLimits) {}

  /** True once the stream has ended (completed, failed, or stopped). */
  get ended(): boolean {
    return this.done;
  }

  /**
   * Attach the source: `connect` subscribes to it and returns its teardown. Values the source
   * sends belong to `owner`. A stream that ended while connecting tears the source down at once.
   */
  attach(owner: Actor, connect: () => () => void): void {
    if (this.done) return;
    this.owner = owner;
    this.teardown = connect();
    if (this.done) this.teardown?.();
  }

  /** Values held in main for this stream right now (sent-unacked are not held). */
  get buffered(): number {
    return this.pending.length + this.waiting.length - this.waitingHead;
  }

  /** A value from the source. */
  next(v: unknown): void {
    if (this.done) return;
    let w: Wire;
    try {
      w = this.sink.encode(v, this.owner);
    } catch (e) {
      this.error(e);
      return;
    }
    if (this.inFlight + this.pending.length < this.limits.window) {
      this.pending.push(w);
      this.request();
      return;
    }
    const waiting = this.waiting.length - this.waitingHead;
    const pool = this.limits.pool;
    const budgetSpent = pool !== undefined && !pool.available;
    if (waiting >= this.limits.buffer || budgetSpent) {
      if (this.limits.overflow === 'error') {
        this.error(waiting >= this.limits.buffer ? errors.overflow({ stream: this.id, buffer: this.limits.buffer }) : pool!.exhausted());
        this.sink.discard(w);
        return;
      }
      if (waiting === 0) {
        // Nothing of this stream's to drop: the new value goes instead.
        this.dropped++;
        this.sink.discard(w);
        return;
      }
      const old = this.waiting[this.waitingHead]!;
      this.waiting[this.waitingHead++] = null;
      this.dropped++;
      this.sink.discard(old);
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.waitingHead);
        this.waitingHead = 0;
      }
      pool?.give();
    }
    pool?.take();
    this.waiting.push(w);
  }

  /** The renderer consumed `n` values. */
  ack(n: number): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    let room = this.limits.window - this.inFlight - this.pending.length;
    const before = this.waitingHead;
    while (room > 0 && this.waitingHead < this.waiting.length) {
      this.pending.push(this.waiting[this.waitingHead++]!);
      room--;
    }
    this.limits.pool?.give(this.waitingHead - before);
    if (this.waitingHead === this.waiting.length) {
      this.waiting = [];
      this.waitingHead = 0;
    }
    if (this.pending.length > 0) this.request();
  }

  /** The source failed: flush what is pending, then send the error. */
  error(e: unknown): void {
    if (this.done) return;
    this.flush();
    this.sink.push(toRenderer.error(this.id, this.sink.encodeError(e, this.owner)));
    this.end();
  }

  /** The source completed: everything buffered still goes out first. */
  complete(): void {
    if (this.done) return;
    this.flush();
    if (this.waitingHead < this.waiting.length) {
      // Values still wait for credit: send them now, completion must not lose them.
      this.sink.push(toRenderer.next(this.id, this.waiting.slice(this.waitingHead)));
      this.limits.pool?.give(this.waiting.length - this.waitingHead);
      this.waiting = [];
      this.waitingHead = 0;
    }
    this.sink.push(toRenderer.complete(this.id));
    this.end();
  }

  /** Stop without telling the renderer (it unsubscribed, or its session ended). */
  stop(): void {
    if (this.done) return;
    this.end();
  }

  private end(): void {
    this.done = true;
    for (const w of this.pending) this.sink.discard(w);
    for (let i = this.waitingHead; i < this.waiting.length; i++) this.sink.discard(this.waiting[i]!);
    this.limits.pool?.give(this.waiting.length - this.waitingHead);
    this.pending = [];
    this.waiting = [];
    this.waitingHead = 0;
    const t = this.teardown;
    this.teardown = undefined;
    this.sink.streamEnded(this);
    if (t) {
      try {
        t();
      } catch {
        /* a failing teardown must not break the session */
      }
    }
  }

  private request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.sink.schedule(this);
  }

  /** Move pending values into one `next` frame (called by the session's flush). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    this.inFlight += this.pending.length;
    this.sink.push(toRenderer.next(this.id, this.pending));
    this.pending = [];
  }
}
