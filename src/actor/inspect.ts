/**
 * Inspection events: everything the broker and its actors do, as plain objects on
 * `broker.inspect$`. Events are built only while someone observes the stream.
 * @packageDocumentation
 */
import { Subject } from 'rxjs';
import { type Clock, monotonicClock } from '../protocol/clock.js';

/** Every kind of inspection event. */
export type InspectKind =
  | 'session-opened'
  | 'session-closed'
  | 'received'
  | 'started'
  | 'replied'
  | 'failed'
  | 'restarting'
  | 'restarted'
  | 'stopped'
  | 'escalated'
  | 'released'
  | 'dead-letter'
  | 'mailbox-full'
  | 'refused'
  | 'dropped'
  | 'timeout';

/** One inspection event. */
export interface InspectEvent {
  /** What happened (see the table in `docs/supervision.md`). */
  readonly kind: InspectKind;
  /** `performance.now()`-style milliseconds when it happened. */
  readonly at: number;
  /** Actor path, e.g. `module/fs` or `global/config`. */
  readonly actor?: string;
  /** Session id. */
  readonly session?: string;
  /** Request id within the session. */
  readonly id?: number;
  /** Operation (`get`, `apply`, ...). */
  readonly op?: string;
  /** The member a call names (`add`, `a.b.c`, a module name), on `received`/`started`/`replied`/`failed` when known. */
  readonly method?: string;
  /** Milliseconds from start to reply or failure. */
  readonly ms?: number;
  /** Error code or detail. */
  readonly detail?: string;
}

/**
 * A sink for inspection events that costs nothing while nobody listens. It also carries the
 * actor system's clock: actors and groups built with this inspector read time from it.
 * Applications read the events on `broker.inspect$`; the broker makes its own inspector.
 * @internal
 */
export class Inspector {
  private readonly subject = new Subject<InspectEvent>();
  /** The event stream. */
  readonly events$ = this.subject.asObservable();

  constructor(
    /** The clock stamping events and timing messages and restart windows. Default {@link monotonicClock}. */
    readonly now: Clock = monotonicClock,
  ) {}

  /** True while at least one observer listens. */
  get active(): boolean {
    return this.subject.observed;
  }

  /** Emit an event (callers check {@link active} first on hot paths). */
  emit(kind: InspectKind, fields: Omit<InspectEvent, 'kind' | 'at'> = {}): void {
    if (!this.subject.observed) return;
    this.subject.next({ kind, at: this.now(), ...fields });
  }
}
