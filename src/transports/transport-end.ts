/**
 * What every transport end shares: inbound messages as an Observable, and a close that
 * happens once, tells `closed$`, and completes both streams. A transport extends it and
 * adds only what its runtime needs (`send`, `close`, sync calls).
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';
import { Fanout } from '../protocol/fanout.js';
import type { CloseReason } from '../transport.js';

/**
 * The close reason for a message a transport could not serialise or clone: `too-large`
 * (`E_FRAME_TOO_LARGE`) when the runtime ran out of room for it (V8's `RangeError: Invalid
 * string length`, an allocation failure), else `refused` (`E_BAD_VALUE`). `what` names the
 * direction ("a message to the page").
 */
export function refusalOf(e: unknown, what: string): CloseReason {
  let why: string;
  try {
    why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    why = 'an unprintable error';
  }
  return e instanceof RangeError
    ? { kind: 'too-large', code: 'E_FRAME_TOO_LARGE', detail: `${what} was too large to send (${why.slice(0, 200)})` }
    : { kind: 'refused', code: 'E_BAD_VALUE', detail: `${what} could not be sent (${why.slice(0, 200)})` };
}

/** Base of a transport end. */
export abstract class TransportEnd {
  /** Inbound messages; transports push with {@link push}. @internal */
  protected readonly inbox = new Fanout<unknown>();
  private readonly closedSubject = new Fanout<CloseReason>();
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
