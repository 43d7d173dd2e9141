/**
 * A session's outbox: frames for the renderer go out batched, one message per tick. Replies
 * to synchronous requests go at once (after what was queued before them, so order holds).
 *
 * The flush waits while dependents of a pipelined reply are still to run in this tick, so a
 * whole chain's replies leave as one message; just before sending it asks its session for
 * the last frames of the tick (stream values, freed callbacks).
 * @packageDocumentation
 */
import type { Transport } from '../transport.js';

/** What the outbox asks of its session. */
export interface OutboxHost {
  readonly closed: boolean;
  /** True while pipelined dependents are still to run in this tick. */
  readonly settling: boolean;
  /** Queue the tick's last frames (through {@link Outbox.queue}) just before a flush sends. */
  gather(): void;
}

/** The per-tick outbox of one session. */
export class Outbox {
  private out: unknown[] = [];
  private flushQueued = false;

  constructor(
    private readonly transport: Transport,
    private readonly host: OutboxHost,
  ) {}

  /** Queue a frame for this tick's message; `sync` sends it now, through `replySync` when the transport has it. */
  send(frame: unknown, sync = false): void {
    if (this.host.closed) return;
    if (sync) {
      this.flush();
      if (this.transport.replySync) this.transport.replySync(frame);
      else this.transport.send(frame);
      return;
    }
    this.queue(frame);
    this.schedule();
  }

  /** Add a frame to this tick's message without scheduling (the gather step of a flush). */
  queue(frame: unknown): void {
    this.out.push(frame);
  }

  /** Flush at the end of this tick. */
  schedule(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  /** Dependents of a pipelined reply settled in this tick run in the next microtasks: wait for them. */
  private readonly flushLater = (): void => {
    if (this.host.settling && !this.host.closed) queueMicrotask(this.flushLater);
    else this.flush();
  };

  /** Send everything queued now, as one frame or one batch. */
  flush(): void {
    this.flushQueued = false;
    if (this.host.closed) return;
    this.host.gather();
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    this.transport.send(out.length === 1 ? out[0] : { t: 'batch', f: out });
  }

  /** Session end: drop what was queued. */
  clear(): void {
    this.out = [];
  }
}
