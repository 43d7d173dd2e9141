/**
 * What every transport end shares: inbound messages as an Observable, and a close that
 * happens once, tells `closed$`, and completes both streams. A transport extends it and
 * adds only what its runtime needs (`send`, `close`, sync calls).
 * @packageDocumentation
 */
import { Subject, type Observable } from 'rxjs';
import type { CloseReason } from '../transport.js';

/** Base of a transport end. */
export abstract class TransportEnd {
  /** Inbound messages; transports push with {@link push}. */
  protected readonly inbox = new Subject<unknown>();
  private readonly closedSubject = new Subject<CloseReason>();
  /** Inbound messages, in order; completes on close. */
  readonly messages$: Observable<unknown> = this.inbox.asObservable();
  /** Emits once when the connection closes, then completes. */
  readonly closed$: Observable<CloseReason> = this.closedSubject.asObservable();
  /** True once closed. */
  isClosed = false;

  /** Hand an inbound message to subscribers (dropped once closed). For the transport's own use. */
  push(message: unknown): void {
    if (!this.isClosed) this.inbox.next(message);
  }

  /** The connection ended for `reason`: tell subscribers once. Idempotent. */
  ended(reason: CloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.inbox.complete();
  }
}
