/**
 * The per-tick outbox both sides use: frames queued during a tick leave together as one
 * message at its end, and no message grows past a bound. Each frame is measured as it is
 * queued (with `measure`, main's `wireSize`); when the next frame would take the message past `maxFrames`
 * frames or `maxBytes` bytes, what is queued leaves at once and a new message starts, so a
 * tick's replies split into several messages instead of one unbounded one. A frame that is
 * over `maxFrameBytes` on its own is never sent: `oversize` says what goes instead (main
 * answers the caller with a typed error).
 *
 * Side-specific behaviour hangs on hooks: `gather` adds the tick's last frames just before a
 * flush (main: stream values and freed callbacks; renderer: stream acknowledgements), and
 * `holding` delays the end-of-tick flush while more frames of the same tick are coming (main:
 * dependents of a pipelined reply).
 *
 * Pacing: with `ready`, a closed message is delivered only while `ready()` says the receiver
 * takes more (main: the transport's backlog is under its high-water mark); the others wait,
 * in order, as arrays of frames (never serialised), until {@link TickOutbox.resume}. Frames
 * queued meanwhile go behind them.
 *
 * A frame whose binary data went to the transport uncopied (see `EncodeHost.sendNow`) is
 * pushed {@link TickOutbox.urgent}: it leaves at once with what was queued before it, so the
 * transport clones its bytes at the call, and the buffers marked for transfer go in the
 * transfer list of the message that carries it.
 * @packageDocumentation
 */
import type { Message } from './frame-types.js';
import { messageOf } from './message.js';

/** How an outbox delivers and bounds its messages. */
export interface OutboxOptions<F> {
  /** Send one message (a frame, or a batch of frames), moving `transfer` where the transport can. */
  deliver(message: Message<F>, transfer?: readonly ArrayBuffer[]): void;
  /** Most frames in one message. Default unbounded. */
  maxFrames?: number;
  /** Most bytes (as `measure` counts them) in one message; frames are not measured when unbounded. Default unbounded. */
  maxBytes?: number;
  /**
   * What a frame costs on the wire, or a figure over `budget` once past it: required with
   * `maxBytes` or `maxFrameBytes` (main passes `wireSize`; an outbox bounded by frame count
   * only, the renderer's, never measures, so a page does not carry the measure).
   */
  measure?(frame: F, budget: number): number;
  /** Most bytes of one frame; past it `oversize` decides. Default `maxBytes`. */
  maxFrameBytes?: number;
  /** What goes instead of a frame over `maxFrameBytes` (each replacement is measured again). Default: nothing. */
  oversize?(frame: F, bytes: number): F[];
  /** Queue the tick's last frames (with {@link TickOutbox.queue}) just before a flush sends. */
  gather?(): void;
  /** True while the end-of-tick flush should wait a microtask more. */
  holding?(): boolean;
  /** True while the receiver takes another message now; when false, messages wait for {@link TickOutbox.resume}. Default always. */
  ready?(): boolean;
  /** A message was left waiting (`ready` said no). */
  waiting?(): void;
}

/** Frames for the end of the tick, delivered in bounded messages. */
export class TickOutbox<F> {
  /**
   * How many messages left so far. A frame queued when this was `n` has been sent once it is
   * past `n` (when no message waits: unpaced outboxes never wait): no per-frame bookkeeping.
   */
  flushes = 0;
  private frames: F[] = [];
  /** Closed messages waiting for `ready`, oldest first, with their bytes. */
  private waiting: F[][] = [];
  private waitingSizes: number[][] = [];
  /** The transfer list of each waiting message (undefined: it moves nothing). */
  private waitingMoves: (ArrayBuffer[] | undefined)[] = [];
  private waitingBytes = 0;
  private sizes: number[] = [];
  private bytes = 0;
  private flushQueued = false;
  private stopped = false;
  /** Set by {@link urgent}: the next pushed frame leaves at once, moving these buffers. */
  private urgentNext: ArrayBuffer[] | undefined;
  /** Buffers to move with the next message sent (the one carrying the urgent frame). */
  private moving: ArrayBuffer[] | undefined;
  private readonly maxFrames: number;
  private readonly maxBytes: number;
  private readonly maxFrameBytes: number;
  private readonly measured: boolean;
  private readonly measureFrame: (frame: F, budget: number) => number;

  constructor(private readonly options: OutboxOptions<F>) {
    this.maxFrames = options.maxFrames ?? Number.POSITIVE_INFINITY;
    this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.maxFrameBytes = options.maxFrameBytes ?? this.maxBytes;
    this.measured = Number.isFinite(this.maxBytes) || Number.isFinite(this.maxFrameBytes);
    if (this.measured && !options.measure) throw new TypeError('An outbox bounded by bytes needs a measure.');
    this.measureFrame = options.measure ?? (() => 0);
  }

  /** Frames queued now (in the message being filled and in the messages waiting). */
  get size(): number {
    let n = this.frames.length;
    for (const m of this.waiting) n += m.length;
    return n;
  }

  /** Bytes (as `measure` counts them) queued now, waiting or not (0 when unmeasured). */
  get queuedBytes(): number {
    return this.bytes + this.waitingBytes;
  }

  /** True while closed messages wait for the receiver (`ready` said no). */
  get blocked(): boolean {
    return this.waiting.length > 0;
  }

  /** Queue a frame and flush at the end of the tick (at once after {@link urgent}). */
  push(frame: F): void {
    const urgent = this.urgentNext;
    if (urgent === undefined) {
      this.queue(frame);
      this.schedule();
      return;
    }
    this.urgentNext = undefined;
    this.queue(frame);
    // Only now: a message split off while queueing went before the frame and moves nothing.
    this.moving = urgent.length > 0 ? urgent : undefined;
    this.flush();
  }

  /** Forget an {@link urgent} mark: its frame was sent another way, at once (a sync reply). */
  urgentDone(): void {
    this.urgentNext = undefined;
  }

  /**
   * The next frame pushed carries binary the transport must take now: send it at once, with
   * `transfer` in the transfer list of its message. Several calls before the push add up.
   */
  urgent(transfer: readonly ArrayBuffer[]): void {
    if (this.stopped) return;
    const list = (this.urgentNext ??= []);
    for (const b of transfer) if (!list.includes(b)) list.push(b);
  }

  /**
   * Queue a frame without scheduling a flush (the gather step, or a caller that schedules
   * itself). When it would overfill the message, what was queued leaves first.
   */
  queue(frame: F): void {
    if (this.stopped) return;
    if (!this.measured) {
      if (this.frames.length >= this.maxFrames) this.send();
      this.frames.push(frame);
      return;
    }
    const size = this.measureFrame(frame, this.maxFrameBytes);
    if (size <= this.maxFrameBytes) {
      // The common case, without the list replacements go through.
      this.add(frame, size);
      return;
    }
    const admitted: Array<[F, number]> = [];
    this.replace(frame, size, admitted);
    for (const [f, n] of admitted) this.add(f, n);
  }

  /** Put a measured frame in the message being filled, closing it first when the frame would overfill it. */
  private add(frame: F, size: number): void {
    if (this.frames.length > 0 && (this.frames.length >= this.maxFrames || this.bytes + size > this.maxBytes)) this.send();
    this.frames.push(frame);
    this.sizes.push(size);
    this.bytes += size;
  }

  /**
   * The frames that go for `frame`: itself when it fits `maxFrameBytes`, else what `oversize`
   * gives instead (each measured in turn; one still too large is dropped).
   */
  admit(frame: F): F[] {
    const admitted: Array<[F, number]> = [];
    this.measure(frame, admitted);
    return admitted.map(([f]) => f);
  }

  /** {@link admit} with each frame's size, measured once (the size is what the message bound counts). */
  private measure(frame: F, into: Array<[F, number]>): void {
    const size = this.measureFrame(frame, this.maxFrameBytes);
    if (size <= this.maxFrameBytes) into.push([frame, size]);
    else this.replace(frame, size, into);
  }

  /** What `oversize` gives for a frame of `size` over `maxFrameBytes`, each measured in turn. */
  private replace(frame: F, size: number, into: Array<[F, number]>): void {
    for (const r of this.options.oversize?.(frame, size) ?? []) if (r !== frame) this.measure(r, into);
  }

  /** Take a queued frame out again. Returns false when it already left (or never was queued). */
  withdraw(frame: F): boolean {
    const i = this.frames.indexOf(frame);
    if (i >= 0) {
      this.frames.splice(i, 1);
      if (this.measured) this.bytes -= this.sizes.splice(i, 1)[0]!;
      return true;
    }
    for (let m = 0; m < this.waiting.length; m++) {
      const j = this.waiting[m]!.indexOf(frame);
      if (j < 0) continue;
      this.waiting[m]!.splice(j, 1);
      if (this.measured) this.waitingBytes -= this.waitingSizes[m]!.splice(j, 1)[0]!;
      return true;
    }
    return false;
  }

  /** The receiver takes more again: deliver waiting messages while `ready` allows. */
  resume(): void {
    if (this.stopped) return;
    while (this.waiting.length > 0 && this.isReady()) {
      const out = this.waiting.shift()!;
      const sizes = this.waitingSizes.shift()!;
      const moves = this.waitingMoves.shift();
      for (const n of sizes) this.waitingBytes -= n;
      this.moving = moves;
      if (out.length > 0) this.deliver(out);
      this.moving = undefined;
    }
  }

  /** Flush at the end of this tick (once, however many frames are queued). */
  schedule(): void {
    if (this.flushQueued || this.stopped) return;
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  private readonly flushLater = (): void => {
    if (!this.stopped && this.options.holding?.()) queueMicrotask(this.flushLater);
    else this.flush();
  };

  /** Gather the tick's last frames and send everything queued now. */
  flush(): void {
    this.flushQueued = false;
    if (this.stopped) return;
    // A mark set before this flush belongs to a frame still to be pushed; one the gather step
    // sets is for the frames it queued, which leave in this very message.
    const before = this.urgentNext;
    this.urgentNext = undefined;
    this.options.gather?.();
    const gathered = this.urgentNext as ArrayBuffer[] | undefined;
    this.urgentNext = before;
    if (gathered !== undefined && gathered.length > 0) this.moving = this.moving ? [...this.moving, ...gathered] : gathered;
    if (this.frames.length > 0) this.send();
    this.moving = undefined;
  }

  /** Drop everything queued and send nothing more. */
  stop(): void {
    this.stopped = true;
    this.urgentNext = undefined;
    this.moving = undefined;
    this.frames = [];
    this.sizes = [];
    this.bytes = 0;
    this.waiting = [];
    this.waitingSizes = [];
    this.waitingMoves = [];
    this.waitingBytes = 0;
  }

  /** Close the message being filled: deliver it, or put it behind the waiting ones. */
  private send(): void {
    const out = this.frames;
    const sizes = this.sizes;
    this.frames = [];
    this.sizes = [];
    this.bytes = 0;
    if (this.waiting.length === 0 && this.isReady()) {
      this.deliver(out);
      return;
    }
    this.waiting.push(out);
    this.waitingSizes.push(sizes);
    // A message that waits keeps its own transfer list: it must move with it, not with the next one delivered.
    this.waitingMoves.push(this.moving);
    this.moving = undefined;
    for (const n of sizes) this.waitingBytes += n;
    this.resume();
    if (this.waiting.length > 0) this.options.waiting?.();
  }

  private isReady(): boolean {
    return this.options.ready?.() ?? true;
  }

  private deliver(out: F[]): void {
    this.flushes++;
    const moving = this.moving;
    this.moving = undefined;
    if (moving) this.options.deliver(messageOf(out), moving);
    else this.options.deliver(messageOf(out));
  }
}
