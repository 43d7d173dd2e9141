/**
 * What the inspector page receives: one self-contained picture of main, several times a
 * second. Plain data only (no imports), because both main's collector and the page bundle use
 * these types; a picture that the stream's flow control drops costs the page nothing but its
 * timeline events, which the page notices through the `seq` gap.
 * @packageDocumentation
 */

/** Table sizes, as `SessionStats` / `BrokerStats` count them. */
export interface TableCounts {
  refs: number;
  callbacks: number;
  listeners: number;
  subscriptions: number;
  pending: number;
  buffered: number;
  pipes: number;
}

/** Totals over main's live sessions: exactly `broker.stats()` when the picture was taken. */
export interface TotalsRow extends TableCounts {
  sessions: number;
}

/** One renderer's row. */
export interface SessionRow {
  readonly id: string;
  /** Self-reported name from the handshake, if any. */
  readonly name?: string;
  /** Renderer generation (bumped by its host on reload). */
  readonly generation: number;
  /** `websocket`, `worker`, `electron`, ... from the transport's info, if it said. */
  readonly transport?: string;
  /** The session's own table sizes (all zero once it closed). */
  readonly stats: TableCounts;
  /** Milliseconds since it opened, or since the inspector first saw it (see `ageKnown`). */
  readonly ageMs: number;
  /** False when the session opened before the inspector attached: `ageMs` is then a lower bound. */
  readonly ageKnown: boolean;
  /** Set once the session closed: why (`going-away`, `closed`, `crashed`, ...). */
  readonly closed?: string;
}

/** One actor's row. */
export interface ActorRow {
  /** Path, e.g. `module/fs`. */
  readonly path: string;
  /** `running`, `restarting` (backing off) or `stopped`. */
  readonly state: string;
  /** Messages waiting in its mailbox. */
  readonly mailbox: number;
  /** Messages running now. */
  readonly inFlight: number;
  /** Restarts since it was spawned (its incarnation). */
  readonly restarts: number;
  /** Its supervision strategy, when it is a fixed directive. */
  readonly strategy?: string;
  /** The last failure seen while an inspector was attached: `CODE: message`. */
  readonly lastFailure?: string;
  /** Milliseconds since that failure. */
  readonly lastFailureAgoMs?: number;
}

/** A supervision group and what it holds. */
export interface GroupRow {
  /** Path of the group, e.g. `root/services`. */
  readonly name: string;
  /** `one-for-one` or `all-for-one`. */
  readonly kind: string;
  /** What the group does with an escalation. */
  readonly onEscalation: string;
  readonly actors: readonly ActorRow[];
  readonly groups: readonly GroupRow[];
}

/** Calls to one method (actor and operation) over the sliding window. */
export interface MethodRow {
  /** Actor path. */
  readonly actor: string;
  /** Method name when the events carry one, else the operation (`apply`, `get`, `sub`, ...). */
  readonly method: string;
  /** Calls that finished within the window. */
  readonly calls: number;
  /** Of those, the failed ones. */
  readonly errors: number;
  /** Median latency in ms. */
  readonly p50: number;
  /** 99th percentile latency in ms. */
  readonly p99: number;
}

/** One undeliverable message. */
export interface DeadLetterRow {
  readonly agoMs: number;
  readonly actor?: string;
  readonly session?: string;
  readonly op?: string;
  readonly reason?: string;
}

/** One `inspect$` event, numbered. */
export interface TimelineEvent {
  /** Position in main's event sequence since the inspector attached (1, 2, ...). */
  readonly seq: number;
  readonly kind: string;
  /** Milliseconds since the inspector attached. */
  readonly t: number;
  readonly actor?: string;
  readonly session?: string;
  readonly id?: number;
  readonly op?: string;
  readonly ms?: number;
  readonly detail?: string;
}

/** One point per second of the chart. */
export interface SeriesPoint {
  /** Seconds since the inspector attached. */
  readonly t: number;
  /** Messages started on actors during that second. */
  readonly calls: number;
  /** `refs` in main's tables at its end. */
  readonly refs: number;
}

/** The whole picture. */
export interface InspectorSnapshot {
  /** Increments per picture sent to this page. */
  readonly seq: number;
  /** Milliseconds since the inspector attached. */
  readonly t: number;
  readonly totals: TotalsRow;
  /** Live sessions, then recently closed ones (greyed out, gone after a few seconds). */
  readonly sessions: readonly SessionRow[];
  /** The supervision tree from the root. */
  readonly tree: GroupRow;
  readonly methods: readonly MethodRow[];
  /** Length of the sliding window of `methods`, in ms. */
  readonly windowMs: number;
  readonly deadLetters: { readonly total: number; readonly recent: readonly DeadLetterRow[] };
  /** Events since the previous picture sent to this page (at most a bounded number). */
  readonly events: readonly TimelineEvent[];
  /** Events main saw in that span but did not send (over the per-picture bound). */
  readonly eventsSkipped: number;
  readonly series: readonly SeriesPoint[];
}

/** What the dedicated broker exposes to the page as module `inspector`. */
export interface InspectorApi {
  /** Pictures at most every `intervalMs`, while subscribed; nothing is measured otherwise. */
  snapshots(): import('rxjs').Observable<InspectorSnapshot>;
}
