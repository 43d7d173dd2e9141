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
 * @packageDocumentation
 */
import { Subject, type Observable } from 'rxjs';
import { RemoraError } from '../errors.js';
import type { CloseReason, SyncTransport, Transport } from '../transport.js';

/** Options of a memory pair. */
export interface MemoryPairOptions {
  /** Structured-clone every message (default true). */
  clone?: boolean;
}

class End implements Transport {
  readonly inbox = new Subject<unknown>();
  readonly closedSubject = new Subject<CloseReason>();
  readonly messages$: Observable<unknown> = this.inbox.asObservable();
  readonly closed$: Observable<CloseReason> = this.closedSubject.asObservable();
  peer!: End;
  isClosed = false;
  syncReply: unknown = undefined;

  constructor(private readonly clone: boolean) {}

  protected copy(m: unknown): unknown {
    return this.clone ? structuredClone(m) : m;
  }

  private outbox: unknown[] = [];

  send(message: unknown): void {
    if (this.isClosed) return;
    this.outbox.push(this.copy(message));
    if (this.outbox.length === 1) queueMicrotask(() => this.deliver());
  }

  /** Hand queued messages to the peer, in order (also before a synchronous call overtakes them). */
  deliver(): void {
    const peer = this.peer;
    const out = this.outbox;
    this.outbox = [];
    for (const m of out) if (!peer.isClosed) peer.inbox.next(m);
  }

  replySync(message: unknown): void {
    this.peer.syncReply = this.copy(message);
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    this.end(reason);
    // Like a real port: messages sent before the close still arrive, then the peer sees it.
    const peer = this.peer;
    queueMicrotask(() => peer.end(reason));
  }

  end(reason: CloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.inbox.complete();
  }
}

class RendererEnd extends End implements SyncTransport {
  sendSync(message: unknown, id: number): unknown {
    if (this.isClosed) throw new RemoraError('E_CLOSED', 'Closed: the memory transport is closed.');
    this.syncReply = undefined;
    this.deliver(); // what was sent before this call (the hello, earlier requests) goes first
    this.peer.inbox.next(this.copy(message));
    const reply = this.syncReply as { id?: number } | undefined;
    this.syncReply = undefined;
    if (reply === undefined || reply.id !== id) {
      throw new RemoraError('E_SYNC_UNSUPPORTED', 'The memory transport can only answer a synchronous call whose main-side handler answers synchronously; use the worker transport, or the async API.');
    }
    return reply;
  }
}

/** A connected pair of in-memory transports. */
export function createMemoryPair(options: MemoryPairOptions = {}): { main: Transport; renderer: SyncTransport } {
  const clone = options.clone ?? true;
  const main = new End(clone);
  const renderer = new RendererEnd(clone);
  main.peer = renderer;
  renderer.peer = main;
  return { main, renderer };
}
