/**
 * Intake: how a renderer's messages enter its session. A message is unbatched and each frame
 * validated (`parseRendererFrame`) against the limits; the first frame must be the `hello`
 * handshake, whose protocol version must match; then each frame goes to its handler by kind.
 * A frame that fails validation is answered with `fail` when it carries a request id, and
 * otherwise dropped (reported to the inspector). Intake never throws.
 * @packageDocumentation
 */
import type { Inspector } from '../actor/inspect.js';
import * as errors from '../errors/factories.js';
import { FrameError, isRequest, parseRendererFrame, PROTOCOL_VERSION, toRenderer, unbatch, type FrameLimits } from '../protocol/index.js';
import type { MainFrame, RendererFrame, RequestFrame, SubscribeFrame } from '../protocol/frames.js';
import type { CloseReason } from '../transport.js';
import { memberOf } from './member.js';

/** Where intake sends each kind of frame, and what else it asks of its session. */
export interface IntakeHost {
  readonly id: string;
  readonly closed: boolean;
  readonly limits: FrameLimits;
  readonly inspector: Inspector;
  /** The handshake succeeded: the renderer's generation and name. */
  greeted(gen: number, name: string | undefined): void;
  /** A request (`get`/`set`/`apply`/`new`/`require`/`global`/`current`). */
  request(f: RequestFrame): void;
  /** A subscription. */
  subscribe(f: SubscribeFrame): void;
  /** The renderer released `[id, count]` pairs of refs. */
  releaseRefs(pairs: number[]): void;
  /** The renderer cancelled request or stream `id`. */
  cancel(id: number): void;
  /** The renderer unsubscribed stream `id`. */
  unsubscribe(id: number): void;
  /** The renderer consumed `n` values of stream `id`. */
  ack(id: number, n: number): void;
  /** Every frame of a message was handled. */
  messageEnded(): void;
  /** Answer request `id` with a failure (no call exists for it). */
  refuse(id: number, error: unknown, sync: boolean): void;
  /** Report a frame that could not be answered. */
  dropped(e: unknown): void;
  send(frame: MainFrame): void;
  flush(): void;
  close(reason: CloseReason): void;
}

/** The intake of one session. */
export class Intake {
  private greeted = false;

  constructor(private readonly host: IntakeHost) {}

  /** Handle one inbound message (a frame or a batch). Never throws. */
  receive(message: unknown): void {
    if (this.host.closed) return;
    let frames: unknown[];
    try {
      frames = unbatch(message, this.host.limits);
    } catch (e) {
      this.host.dropped(e);
      return;
    }
    for (const raw of frames) {
      this.frame(raw);
      if (this.host.closed) return;
    }
    this.host.messageEnded();
  }

  /** Validate one frame and route it; answer or report what fails. */
  private frame(raw: unknown): void {
    let f: RendererFrame;
    try {
      f = parseRendererFrame(raw, this.host.limits);
    } catch (e) {
      const id = e instanceof FrameError ? e.id : undefined;
      if (id !== undefined) this.host.refuse(id, e, (raw as { s?: unknown }).s === 1);
      else this.host.dropped(e);
      return;
    }
    try {
      this.route(f);
    } catch (e) {
      // The handlers answer their own failures; this is a last line of defence.
      if ('id' in f && typeof f.id === 'number' && isRequest(f)) this.host.refuse(f.id, e, f.s === 1);
      else this.host.dropped(e);
    }
  }

  private route(f: RendererFrame): void {
    const h = this.host;
    if (h.inspector.active) h.inspector.emit('received', { session: h.id, op: f.t, id: 'id' in f ? f.id : undefined, method: memberOf(f) });
    if (f.t === 'hello') return this.hello(f.v, f.gen, f.name);
    if (!this.greeted) {
      const err = errors.protocol({ what: 'the first frame must be a hello handshake' });
      if (isRequest(f)) h.refuse(f.id, err, f.s === 1);
      else h.dropped(err);
      return;
    }
    switch (f.t) {
      case 'release':
        return h.releaseRefs(f.refs);
      case 'cancel':
        return h.cancel(f.id);
      case 'unsub':
        return h.unsubscribe(f.id);
      case 'ack':
        return h.ack(f.id, f.n);
      case 'sub':
        return h.subscribe(f);
      default:
        return h.request(f);
    }
  }

  /** The handshake: a matching version is welcomed, any other is told `bye` and the session closes. */
  private hello(v: number, gen: number, name: string | undefined): void {
    if (v !== PROTOCOL_VERSION) {
      this.host.send(toRenderer.versionMismatch(v));
      this.host.flush();
      this.host.close({ kind: 'version', detail: `protocol ${v} != ${PROTOCOL_VERSION}` });
      return;
    }
    this.greeted = true;
    this.host.greeted(gen, name);
    this.host.send(toRenderer.welcome(this.host.id, gen));
  }
}
