/**
 * What the inspector page receives: one self-contained picture of main, several times a
 * second. Plain data only (no imports), because both main's collector and the page bundle use
 * these types; a picture that the stream's flow control drops costs the page nothing but its
 * timeline events, which the page notices through the `seq` gap.
 * @packageDocumentation
 */

/** Table sizes, as `SessionStats` / `BrokerStats` count them. */
export interface TableCounts {
  /** Main-side objects the renderer holds handles to (entries of the session's ref table). */
  refs: number;
  /** Renderer callbacks main holds proxies for and may still call. */
  callbacks: number;
  /** Emitter listeners registered on main's objects on the renderer's behalf. */
  listeners: number;
  /** Observable streams open from main to the renderer. */
  subscriptions: number;
  /** The renderer's calls in flight on main (received, not yet replied). */
  pending: number;
  /** Stream values main holds for the renderer, not yet sent (flow control bounds it). */
  buffered: number;
  /** Pipelined results open now, waiting for the dependent calls of the same message. */
  pipes: number;
}

/** Totals over main's live sessions: exactly `broker.stats()` when the picture was taken. */
export interface TotalsRow extends TableCounts {
  /** Live sessions (renderers connected now). */
  sessions: number;
}

/** One renderer's row. */
export interface SessionRow {
  /** Session id, unique within the broker (the `session` of inspection events). */
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
  /** The actors supervised directly by this group. */
  readonly actors: readonly ActorRow[];
  /** Its child groups, each with its own subtree. */
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
  /** Milliseconds between the dead letter and this picture. */
  readonly agoMs: number;
  /** Path of the actor the message was addressed to, if the event named one. */
  readonly actor?: string;
  /** Id of the session that sent it, if any. */
  readonly session?: string;
  /** Its operation (`get`, `apply`, ...), if known. */
  readonly op?: string;
  /** Why it could not be delivered (the event's `detail`: an error code or a short text). */
  readonly reason?: string;
}

/** One `inspect$` event, numbered. */
export interface TimelineEvent {
  /** Position in main's event sequence since the inspector attached (1, 2, ...). */
  readonly seq: number;
  /** What happened: an `InspectKind` of `remora/main` (`started`, `replied`, `failed`, `dead-letter`, ...). */
  readonly kind: string;
  /** Milliseconds since the inspector attached. */
  readonly t: number;
  /** Path of the actor concerned, if any. */
  readonly actor?: string;
  /** Id of the session concerned, if any. */
  readonly session?: string;
  /** Request id within that session, for events about one call. */
  readonly id?: number;
  /** Operation of the call (`get`, `apply`, `sub`, ...), if any. */
  readonly op?: string;
  /** Milliseconds from start to reply or failure, on `replied` and `failed`. */
  readonly ms?: number;
  /** Error code or other detail the event carried. */
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
  /** Totals over main's live sessions when the picture was taken. */
  readonly totals: TotalsRow;
  /** Live sessions, then recently closed ones (greyed out, gone after a few seconds). */
  readonly sessions: readonly SessionRow[];
  /** The supervision tree from the root. */
  readonly tree: GroupRow;
  /** Per-method calls and latency over the last `windowMs`, busiest first; methods without calls in the window are left out. */
  readonly methods: readonly MethodRow[];
  /** Length of the sliding window of `methods`, in ms. */
  readonly windowMs: number;
  /** Undeliverable messages seen while attached. */
  readonly deadLetters: {
    /** All dead letters since the inspector attached. */
    readonly total: number;
    /** The newest of them (at most 20), newest first. */
    readonly recent: readonly DeadLetterRow[];
  };
  /** Events since the previous picture sent to this page (at most a bounded number). */
  readonly events: readonly TimelineEvent[];
  /** Events main saw in that span but did not send (over the per-picture bound). */
  readonly eventsSkipped: number;
  /** The chart: one point per whole second since attach, oldest first (60 seconds kept by default). */
  readonly series: readonly SeriesPoint[];
}

/** What the dedicated broker exposes to the page as module `inspector`. */
export interface InspectorApi {
  /** Pictures at most every `intervalMs`, while subscribed; nothing is measured otherwise. */
  snapshots(): import('rxjs').Observable<InspectorSnapshot>;
}
