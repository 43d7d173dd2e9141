/**
 * `remora/transports/memory`: both ends in one thread, for tests and in-process use.
 *
 * Messages are structured-cloned (as a real boundary would) and delivered on a microtask.
 * Synchronous calls work when the main-side handler answers synchronously; an async handler
 * makes a sync call fail with `E_SYNC_UNSUPPORTED` (use the worker transport for that).
 * @example
 * ```ts
 * const { main, renderer } = createMemoryPair();
 * broker.connect(main);
 * const client = connect(renderer);
 * ```
 * @module remora/transports/memory
 */
import * as errors from '../errors/factories.js';
import type { CloseReason, SyncTransport, Transport } from '../transport.js';
import { refusalOf, TransportEnd } from './transport-end.js';

/** Options of a memory pair. */
export interface MemoryPairOptions {
  /** Structured-clone every message (default true). */
  clone?: boolean;
}

class End extends TransportEnd implements Transport {
  peer!: End;
  syncReply: unknown = undefined;

  constructor(private readonly clone: boolean) {
    super();
  }

  protected copy(m: unknown): unknown {
    return this.clone ? structuredClone(m) : m;
  }

  private outbox: unknown[] = [];

  /** Queue one message (cloned now). Never throws: one that cannot be cloned closes the pair with a typed reason. */
  send(message: unknown): void {
    if (this.isClosed) return;
    let copy: unknown;
    try {
      copy = this.copy(message);
    } catch (e) {
      this.close(refusalOf(e, 'a message to the other end'));
      return;
    }
    this.outbox.push(copy);
    if (this.outbox.length === 1) queueMicrotask(() => this.deliver());
  }

  /** Hand queued messages to the peer, in order (also before a synchronous call overtakes them). */
  deliver(): void {
    const peer = this.peer;
    const out = this.outbox;
    this.outbox = [];
    for (const m of out) peer.push(m);
  }

  replySync(message: unknown): void {
    try {
      this.peer.syncReply = this.copy(message);
    } catch (e) {
      this.close(refusalOf(e, 'a synchronous reply'));
    }
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    this.ended(reason);
    // Like a real port: messages sent before the close still arrive, then the peer sees it.
    const peer = this.peer;
    queueMicrotask(() => peer.ended(reason));
  }
}

class RendererEnd extends End implements SyncTransport {
  sendSync(message: unknown, id: number): unknown {
    if (this.isClosed) throw errors.closed({ what: 'the memory transport is closed' });
    this.syncReply = undefined;
    this.deliver(); // what was sent before this call (the hello, earlier requests) goes first
    this.peer.push(this.copy(message));
    const reply = this.syncReply as { id?: number } | undefined;
    this.syncReply = undefined;
    if (reply === undefined || reply.id !== id) {
      throw errors.of('E_SYNC_UNSUPPORTED', 'The memory transport can only answer a synchronous call whose main-side handler answers synchronously; use the worker transport, or the async API.');
    }
    return reply;
  }
}

/** A connected pair of in-memory transports: each end delivers what the other sends. */
export function createMemoryPair(options: MemoryPairOptions = {}): {
  /** The end to give `broker.connect`. */
  main: Transport;
  /** The end to give `connect` from `remora/renderer`; it also answers sync calls whose handler answers synchronously. */
  renderer: SyncTransport;
} {
  const clone = options.clone ?? true;
  const main = new End(clone);
  const renderer = new RendererEnd(clone);
  main.peer = renderer;
  renderer.peer = main;
  return { main, renderer };
}
