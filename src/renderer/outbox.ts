/**
 * The renderer's per-tick outbox: frames queued during a tick leave together as one message
 * at its end, so `api.a().b()` pipelines into a single message and main starts on a burst as
 * soon as its first chunk lands. The batching and bounding are the protocol's
 * {@link TickOutbox}, shared with main; this file adds what only the renderer does.
 *
 * Stream acknowledgements ride along: they are counted per subscription while values arrive
 * and become `ack` frames at the flush, one per subscription however many values came.
 * @packageDocumentation
 */
import { toMain } from '../protocol/frame-builders.js';
import type { RendererFrame, RendererMessage } from '../protocol/frame-types.js';
import { TickOutbox } from '../protocol/outbox.js';

/** Frames per outbound message: a bigger burst leaves in chunks without waiting for the end of the tick. */
export const MAX_FRAMES_PER_MESSAGE = 256;

/** Frames queued for the end of the tick, sent as bounded messages through `deliver`. */
export class Outbox {
  private readonly acks = new Map<number, number>();
  private readonly tick: TickOutbox<RendererFrame>;

  constructor(
    /** Sends one message (a frame, or a `batch` of frames) on the transport, moving `transfer` where it can. */
    deliver: (message: RendererMessage, transfer?: readonly ArrayBuffer[]) => void,
  ) {
    // A big burst leaves in chunks: main starts on the first chunk while this side still
    // builds the rest (and no message exceeds main's frames-per-batch limit).
    this.tick = new TickOutbox<RendererFrame>({ deliver, maxFrames: MAX_FRAMES_PER_MESSAGE, gather: () => this.gatherAcks() });
  }

  /**
   * How many messages left so far. A frame queued when this was `n` has been sent once it is
   * past `n` (see `PendingCall.sent`): no per-frame bookkeeping at the flush.
   */
  get flushes(): number {
    return this.tick.flushes;
  }

  /** Queue a frame for the end of the tick; a burst of {@link MAX_FRAMES_PER_MESSAGE} leaves at once. */
  push(frame: unknown): void {
    this.tick.push(frame as RendererFrame);
  }

  /** The next frame pushed carries uncopied binary: it leaves at once, moving `transfer` (see `TickOutbox.urgent`). */
  urgent(transfer: readonly ArrayBuffer[]): void {
    this.tick.urgent(transfer);
  }

  /**
   * Take a frame out again before it left. Returns false when it is gone already, or when
   * later frames were pipelined on it (`k`): then it must go, and be cancelled instead.
   */
  withdraw(frame: { k?: number }): boolean {
    if (frame.k) return false;
    return this.tick.withdraw(frame as unknown as RendererFrame);
  }

  /** Count `n` values of subscription `id` as received: one `ack` frame at the flush. */
  ack(id: number, n: number): void {
    this.acks.set(id, (this.acks.get(id) ?? 0) + n);
    this.tick.schedule();
  }

  /** Forget the acknowledgements of a subscription that ended. */
  dropAcks(id: number): void {
    this.acks.delete(id);
  }

  /**
   * Send everything queued now, as one message (or a few, past the frame bound). Called from
   * outside a push only (an explicit flush, a synchronous call, which sends its frame itself at
   * once): an {@link urgent} mark still set then was for that frame, and is dropped.
   */
  flush(): void {
    this.tick.urgentDone();
    this.tick.flush();
  }

  /** Drop everything queued and send nothing more (the connection ended). */
  stop(): void {
    this.tick.stop();
    this.acks.clear();
  }

  private gatherAcks(): void {
    if (this.acks.size === 0) return;
    for (const [id, n] of this.acks) this.tick.queue(toMain.ack(id, n));
    this.acks.clear();
  }
}
