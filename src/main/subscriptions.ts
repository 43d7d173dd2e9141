/**
 * Subscriptions: a session's outbound streams. A `sub` frame names a target (a held ref or a
 * pipelined result) and either an event of an emitter there or an Observable (a property, or
 * what a function returns); the source is attached inside the target's actor and its values
 * flow through a {@link StreamOut} with credit-based flow control. `ack` gives credit, `unsub`
 * stops the stream, and the session's end stops them all.
 * @packageDocumentation
 */
import type { Actor, Envelope } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import { isThenable, toRenderer, type MainFrame, type Wire } from '../protocol/index.js';
import type { SubscribeFrame } from '../protocol/frames.js';
import { readProperty, walk } from './access.js';
import type { Pool } from './budget.js';
import type { Limits } from './limits.js';
import { memberOf } from './member.js';
import type { Pipeline } from './pipeline.js';
import type { ReplyEncoder } from './reply-encoding.js';
import { type StreamSink, StreamOut } from './stream-out.js';
import type { ValueDecoder } from './value-decoding.js';

/** What subscriptions ask of their session. */
export interface SubscriptionHost {
  readonly id: string;
  readonly limits: Pick<Limits, 'streamWindow' | 'streamBuffer' | 'overflow' | 'maxSubscriptions'>;
  readonly pipeline: Pipeline;
  readonly decoder: ValueDecoder;
  readonly encoder: ReplyEncoder;
  /** Queue a frame. */
  send(frame: MainFrame): void;
  /** Ask for a flush at the end of this tick. */
  scheduleFlush(): void;
  /** The broker-wide total of values buffered beyond windows (none: unbounded). */
  readonly bufferedPool?: Pool;
}

/** The outbound streams of one session; the sink they all write through. */
export class Subscriptions implements StreamSink {
  private readonly streams = new Map<number, StreamOut>();
  /** Streams with values to send at the next flush. */
  private readonly dirty: StreamOut[] = [];

  constructor(private readonly host: SubscriptionHost) {}

  /** Open streams. */
  get size(): number {
    return this.streams.size;
  }

  /** Stream values main holds for this renderer right now. */
  get buffered(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.buffered;
    return n;
  }

  /** Open the stream `f` asks for: refuse it, or resolve its target and attach the source there. */
  subscribe(f: SubscribeFrame): void {
    if (this.streams.has(f.id)) {
      this.host.send(toRenderer.error(f.id, this.host.encoder.error(errors.protocol({ what: `stream id ${f.id} is already open` }))));
      return;
    }
    const { limits } = this.host;
    const stream = new StreamOut(f.id, this, { window: limits.streamWindow, buffer: limits.streamBuffer, overflow: limits.overflow, pool: this.host.bufferedPool });
    if (this.streams.size >= limits.maxSubscriptions) {
      stream.error(errors.tooManySubscriptions({ max: limits.maxSubscriptions }));
      return;
    }
    this.streams.set(f.id, stream);
    try {
      this.host.pipeline.target(f, (t) => t.actor.tell(this.attaching(stream, f, t.actor, t.root ? undefined : t.value, t.root)), (e) => this.streams.get(f.id)?.error(e));
    } catch (e) {
      stream.error(e);
    }
  }

  /** The envelope that attaches `stream`'s source inside `actor`. */
  private attaching(stream: StreamOut, f: SubscribeFrame, actor: Actor, value: unknown, root: boolean): Envelope {
    const args = f.args ? this.host.decoder.args(f.args, actor) : undefined;
    return {
      session: this.host.id,
      id: f.id,
      op: 'sub',
      get method() {
        return memberOf(f);
      },
      run: (instance) => {
        const base = root ? instance : value;
        stream.attach(actor, () => (f.event !== undefined ? attachEvent(stream, base, f.path, f.event) : attachObservable(stream, base, f.path, args)));
        return undefined;
      },
      reply: () => undefined,
      fail: (e) => stream.error(e),
    };
  }

  /** The renderer consumed `n` values of stream `id`. */
  ack(id: number, n: number): void {
    this.streams.get(id)?.ack(n);
  }

  /** Stop stream `id` without telling the renderer (it unsubscribed or cancelled). Returns false if none. */
  stop(id: number): boolean {
    const s = this.streams.get(id);
    s?.stop();
    return s !== undefined;
  }

  /** Move every dirty stream's values into frames (the session's flush calls this first). */
  flushDirty(): void {
    if (!this.dirty.length) return;
    for (const s of this.dirty.splice(0)) s.flush();
  }

  /** Session end: stop every stream and forget what waited to be sent. */
  stopAll(): void {
    for (const s of [...this.streams.values()]) s.stop();
    this.streams.clear();
    this.dirty.length = 0;
  }

  /** StreamSink: queue a frame. */
  push(frame: MainFrame): void {
    this.host.send(frame);
  }

  /** StreamSink: flush this stream at the end of the tick. */
  schedule(stream: StreamOut): void {
    this.dirty.push(stream);
    this.host.scheduleFlush();
  }

  /** StreamSink: encode a stream value for its owner. */
  encode(v: unknown, owner: Actor | undefined): Wire {
    return this.host.encoder.value(v, owner);
  }

  /** StreamSink: encode a stream error. */
  encodeError(e: unknown, owner: Actor | undefined): Wire {
    return this.host.encoder.error(e, owner);
  }

  /** StreamSink: a stream value will never be sent; return the refs encoding it added. */
  discard(w: Wire): void {
    this.host.encoder.discard(w);
  }

  /** StreamSink: a stream ended. */
  streamEnded(stream: StreamOut): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }
}

/** Listen to `event` of the emitter at `path`; returns the teardown. */
function attachEvent(stream: StreamOut, base: unknown, path: string[], event: string): () => void {
  const emitter = walk(base, path) as Record<string, unknown>;
  if (emitter === null || typeof emitter !== 'object') throw errors.notA({ path, expected: 'an event emitter' });
  const handler = (...a: unknown[]): void => stream.next(a.length <= 1 ? a[0] : a);
  if (typeof emitter.on === 'function' && typeof emitter.removeListener === 'function') {
    (emitter.on as (e: string, h: unknown) => void).call(emitter, event, handler);
    return () => (emitter.removeListener as (e: string, h: unknown) => void).call(emitter, event, handler);
  }
  if (typeof emitter.addEventListener === 'function' && typeof emitter.removeEventListener === 'function') {
    (emitter.addEventListener as (e: string, h: unknown) => void).call(emitter, event, handler);
    return () => (emitter.removeEventListener as (e: string, h: unknown) => void).call(emitter, event, handler);
  }
  throw errors.of('E_BAD_VALUE', `"${path.join('.') || '(target)'}" has neither on/removeListener nor addEventListener/removeEventListener.`);
}

/** Subscribe to the Observable at `path` (or returned by the function there, given `args`); returns the teardown. */
function attachObservable(stream: StreamOut, base: unknown, path: string[], args: unknown[] | undefined): () => void {
  let source: unknown;
  if (args) {
    const thisArg = path.length ? walk(base, path, path.length - 1) : undefined;
    const fn = path.length ? readProperty(thisArg, path[path.length - 1]!) : base;
    if (typeof fn !== 'function') throw errors.notA({ path, expected: 'a function' });
    source = Reflect.apply(fn, thisArg, args);
  } else source = walk(base, path);
  const subscribable = source as { subscribe?: (o: object) => { unsubscribe(): void } };
  if (source === null || typeof source !== 'object' || typeof subscribable.subscribe !== 'function') {
    // A function that returned a promise instead: its rejection must not go unhandled.
    if (isThenable(source)) Promise.resolve(source).catch(() => undefined);
    throw errors.notA({ path, expected: 'an Observable' });
  }
  const sub = subscribable.subscribe({
    next: (v: unknown) => stream.next(v),
    error: (e: unknown) => stream.error(e),
    complete: () => stream.complete(),
  });
  return () => sub.unsubscribe();
}
