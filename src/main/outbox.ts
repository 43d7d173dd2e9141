/**
 * A session's outbox: frames for the renderer go out batched at the end of the tick, in
 * messages no larger than `limits.maxMessageBytes` (the protocol's {@link TickOutbox} splits a
 * tick's frames as it queues them). Replies to synchronous requests go at once (after what
 * was queued before them, so order holds).
 *
 * A single frame over `limits.maxReplyBytes` is never sent: a reply becomes an
 * `E_REPLY_TOO_LARGE` failure for its caller, a stream's values are split into smaller `next`
 * frames (one value still too large fails the stream), a callback invocation is dropped; the
 * refs the dropped frame carried are given back. A transport that throws while sending ends
 * the session instead of escaping into main.
 *
 * The flush waits while dependents of a pipelined reply are still to run in this tick, so a
 * whole chain's replies leave together; just before sending it asks its session for the last
 * frames of the tick (stream values, freed callbacks).
 *
 * Over a transport that reports its backlog, a {@link Pacer} decides when a closed message
 * may go (the backlog is under `limits.maxBacklogBytes`); the others wait as frames, in order,
 * and a peer that does not drain is ended as a slow consumer (see pacing.ts). Other transports
 * get every message at once.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { toRenderer, type MainFrame, type MainMessage, type Wire } from '../protocol/index.js';
import { TickOutbox } from '../protocol/outbox.js';
import type { CloseReason, Transport } from '../transport.js';
import { defaultLimits, type Limits } from './limits.js';
import { isPaced, Pacer, type PacingLimits } from './pacing.js';
import { wireSize } from '../protocol/wire-size.js';

/** What the outbox asks of its session. */
export interface OutboxHost {
  readonly closed: boolean;
  /** True while pipelined dependents are still to run in this tick. */
  readonly settling: boolean;
  /** Queue the tick's last frames (through {@link Outbox.queue}) just before a flush sends. */
  gather(): void;
  /** Encode an error for the renderer (no owner: it carries no refs). */
  encodeError(e: unknown): Wire;
  /** Give back the refs a wire value that will never be sent carried. */
  discard(w: Wire): void;
  /** A stream failed on the renderer's side (its `error` frame is queued): stop it here. */
  streamFailed(id: number): void;
  /** Something was dropped (reported to inspection). */
  dropped(e: unknown): void;
  /** End the session (the transport failed). */
  close(reason: CloseReason): void;
}

/** The per-tick outbox of one session. */
export class Outbox {
  private readonly tick: TickOutbox<MainFrame>;
  private readonly pacer: Pacer | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly host: OutboxHost,
    private readonly limits: Pick<Limits, 'maxMessageBytes' | 'maxReplyBytes' | 'maxBatch'> & Partial<PacingLimits>,
  ) {
    const paced = isPaced(transport);
    this.tick = new TickOutbox<MainFrame>({
      deliver: (m, transfer) => this.deliver(m, false, transfer),
      maxFrames: limits.maxBatch,
      maxBytes: limits.maxMessageBytes,
      maxFrameBytes: limits.maxReplyBytes,
      measure: wireSize,
      oversize: (f, bytes) => this.oversize(f, bytes),
      gather: () => this.host.gather(),
      holding: () => this.host.settling && !this.host.closed,
      ready: paced ? () => this.pacer!.ready() : undefined,
      waiting: paced ? () => this.pacer!.watch() : undefined,
    });
    this.pacer = paced
      ? new Pacer(transport, this.tick, {
          maxBacklogBytes: limits.maxBacklogBytes ?? defaultLimits.maxBacklogBytes,
          slowConsumerMs: limits.slowConsumerMs ?? defaultLimits.slowConsumerMs,
          maxQueuedBytes: limits.maxQueuedBytes ?? defaultLimits.maxQueuedBytes,
        }, (reason) => this.host.close(reason))
      : undefined;
  }

  /** Queue a frame for this tick's message; `sync` sends it now, through `replySync` when the transport has it. */
  send(frame: MainFrame, sync = false): void {
    if (this.host.closed) return;
    if (sync) {
      // Sent at once: uncopied binary is cloned now; buffers marked for transfer are copied.
      this.tick.urgentDone();
      this.flush();
      // Over a transport without a channel of its own for sync replies, one must not overtake the frames still waiting.
      if (this.tick.blocked && !this.transport.replySync) {
        this.tick.push(frame);
        this.tick.flush();
        this.pacer?.watch();
        return;
      }
      for (const f of this.tick.admit(frame)) this.deliver(f, true);
      return;
    }
    this.tick.push(frame);
    this.pacer?.watch();
  }

  /** The next frame carries uncopied binary: it leaves at once, moving `transfer` (see `TickOutbox.urgent`). */
  urgent(transfer: readonly ArrayBuffer[]): void {
    this.tick.urgent(transfer);
  }

  /** Add a frame to this tick's message without scheduling (the gather step of a flush). */
  queue(frame: MainFrame): void {
    this.tick.queue(frame);
    this.pacer?.watch();
  }

  /** Flush at the end of this tick. */
  schedule(): void {
    this.tick.schedule();
  }

  /** Send everything queued now, in as many bounded messages as it takes. */
  flush(): void {
    if (this.host.closed) return;
    this.tick.flush();
    this.pacer?.watch();
  }

  /** Session end: drop what was queued. */
  clear(): void {
    this.tick.stop();
    this.pacer?.stop();
  }

  /** Hand a message to the transport; one that throws ends the session, never main. */
  private deliver(m: MainMessage, sync: boolean, transfer?: readonly ArrayBuffer[]): void {
    if (this.host.closed) return;
    try {
      if (sync && this.transport.replySync) this.transport.replySync(m);
      else if (transfer) this.transport.send(m, transfer);
      else this.transport.send(m);
    } catch (e) {
      this.host.dropped(e);
      this.host.close({ kind: 'error', detail: `the transport failed to send: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** What goes instead of a frame over `maxReplyBytes`. */
  private oversize(f: MainFrame, bytes: number): MainFrame[] {
    const tooLarge = (): Wire => this.host.encodeError(errors.replyTooLarge({ bytes, max: this.limits.maxReplyBytes }));
    switch (f.t) {
      case 'ok':
        this.host.discard(f.v);
        return [toRenderer.fail(f.id, tooLarge())];
      case 'fail':
        this.host.discard(f.e);
        return [toRenderer.fail(f.id, tooLarge())];
      case 'next': {
        if (f.v.length > 1) {
          const half = Math.ceil(f.v.length / 2);
          return [toRenderer.next(f.id, f.v.slice(0, half)), toRenderer.next(f.id, f.v.slice(half))];
        }
        for (const w of f.v) this.host.discard(w);
        this.host.streamFailed(f.id);
        return [toRenderer.error(f.id, tooLarge())];
      }
      case 'error':
        this.host.discard(f.e);
        return [toRenderer.error(f.id, tooLarge())];
      case 'cb':
        for (const w of f.args) this.host.discard(w);
        this.host.dropped(errors.replyTooLarge({ bytes, max: this.limits.maxReplyBytes }));
        return [];
      default:
        return [f];
    }
  }
}
