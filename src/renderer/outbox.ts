/**
 * The renderer's per-tick outbox: frames queued during a tick leave together as one message
 * at its end, so `api.a().b()` pipelines into a single message and main starts on a burst as
 * soon as its first chunk lands.
 *
 * Stream acknowledgements ride along: they are counted per subscription while values arrive
 * and become `ack` frames at the flush, one per subscription however many values came.
 * @packageDocumentation
 */

/** Frames per outbound message before it leaves without waiting for the end of the tick. */
export const MAX_FRAMES_PER_MESSAGE = 256;

/** Frames queued for the end of the tick, sent as one message through `deliver`. */
export class Outbox {
  /**
   * How many messages left so far. A frame queued when this was `n` has been sent once it is
   * past `n` (see `PendingCall.sent`): no per-frame bookkeeping at the flush.
   */
  flushes = 0;
  private frames: unknown[] = [];
  private flushQueued = false;
  private readonly acks = new Map<number, number>();
  /** Set by {@link Outbox.stop}: nothing leaves any more. */
  private stopped = false;

  constructor(
    /** Sends one message (a frame, or a `batch` of frames) on the transport. */
    private readonly deliver: (message: unknown) => void,
  ) {}

  /** Queue a frame for the end of the tick; a burst of {@link MAX_FRAMES_PER_MESSAGE} leaves at once. */
  push(frame: unknown): void {
    // A big burst leaves in chunks: main starts on the first chunk while this side still
    // builds the rest (and no message exceeds main's frames-per-batch limit).
    if (this.frames.push(frame) >= MAX_FRAMES_PER_MESSAGE) this.flush();
    else this.scheduleFlush();
  }

  /**
   * Take a frame out again before it left. Returns false when it is gone already, or when
   * later frames were pipelined on it (`k`): then it must go, and be cancelled instead.
   */
  withdraw(frame: { k?: number }): boolean {
    const i = this.frames.indexOf(frame);
    if (i < 0 || frame.k) return false;
    this.frames.splice(i, 1);
    return true;
  }

  /** Count `n` values of subscription `id` as received: one `ack` frame at the flush. */
  ack(id: number, n: number): void {
    this.acks.set(id, (this.acks.get(id) ?? 0) + n);
    this.scheduleFlush();
  }

  /** Forget the acknowledgements of a subscription that ended. */
  dropAcks(id: number): void {
    this.acks.delete(id);
  }

  /** Flush at the end of this tick (once, however many frames or acks are queued). */
  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  private readonly flushLater = (): void => this.flush();

  /** Send everything queued now, as one message. */
  flush(): void {
    this.flushQueued = false;
    if (this.acks.size) {
      for (const [id, n] of this.acks) this.frames.push({ t: 'ack', id, n });
      this.acks.clear();
    }
    const out = this.frames;
    if (out.length === 0 || this.stopped) return;
    this.frames = [];
    this.flushes++;
    this.deliver(out.length === 1 ? out[0] : { t: 'batch', f: out });
  }

  /** Drop everything queued and send nothing more (the connection ended). */
  stop(): void {
    this.stopped = true;
    this.frames = [];
    this.acks.clear();
  }
}
