/**
 * Where the inspector gets its facts: a narrow interface ({@link InspectionSource}) and the
 * adapter that fills it from a broker's public API only (`inspect$`, `stats()`, `sessions`
 * with their `openedAt`, the supervision tree with each actor's `lastFailure`). Anything a
 * source does not expose is left undefined and filled from events by the collector, or not
 * shown; nothing is made up.
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';
import type { Actor, Broker, InspectEvent, Supervisor } from '../main/index.js';
import type { TableCounts, TotalsRow } from './snapshot.js';

/**
 * An inspection event. Its `method` (the member a call named, e.g. `readFile`) makes the
 * per-method table group by it instead of by the bare `op`; a `Broker` sets it on calls.
 */
export type InspectionEvent = InspectEvent;

/** A live session as the inspector sees it. */
export interface SessionView {
  /** Session id, unique within the source (the `session` of its inspection events). */
  readonly id: string;
  /** The renderer's self-reported name from the handshake, if any. */
  readonly name?: string;
  /** Renderer generation from the handshake (bumped by its host on reload). */
  readonly generation: number;
  /** Transport name (`websocket`, `worker`, `electron`, ...) when the transport reported one as a string. */
  readonly transport?: string;
  /** When it opened, on the clock of the events' `at` (the source's `now`), if the source knows. */
  readonly openedAt?: number;
  /** Why it closed, once it has. */
  readonly closed?: string;
  /** The session's table sizes now (a `Session`'s `stats()`). */
  stats(): TableCounts;
}

/** An actor as the inspector sees it. */
export interface ActorView {
  /** Actor path, e.g. `module/fs` or `global/config`. */
  readonly path: string;
  /** Lifecycle state: `running`, `restarting` (waiting for its backoff) or `stopped`. */
  readonly state: string;
  /** Messages queued in its mailbox, not yet started. */
  readonly mailbox: number;
  /** Messages it is running now. */
  readonly inFlight: number;
  /** Restarts since it was spawned (its incarnation number). */
  readonly restarts: number;
  /**
   * Its supervision directive (`resume`, `restart`, `stop`, `escalate`), `custom` when a
   * function chooses per failure; `brokerSource` reports `resume` when none was set (the default).
   */
  readonly strategy?: string;
  /** Its last failure, if the source keeps one (see {@link InspectionSource.failuresKept}). */
  readonly lastFailure?: string;
  /** When `lastFailure` happened, on the clock of the events' `at`. */
  readonly lastFailureAt?: number;
}

/** A supervision group as the inspector sees it. */
export interface GroupView {
  /** Path of the group, e.g. `root/services`. */
  readonly name: string;
  /** `one-for-one` (a directive touches only the failed actor) or `all-for-one` (every actor of the group). */
  readonly kind: string;
  /** What the group does when a child escalates: `restart`, `stop` or `escalate` (the default). */
  readonly onEscalation: string;
  /** The actors supervised directly by this group. */
  readonly actors: readonly ActorView[];
  /** Its child groups. */
  readonly groups: readonly GroupView[];
}

/** Everything the inspector reads. Implement it to inspect something other than a `Broker`. */
export interface InspectionSource {
  /** Every inspection event; subscribed only while an inspector page is attached. */
  readonly events$: Observable<InspectionEvent>;
  /** Totals over live sessions (the broker's `stats()`). */
  totals(): TotalsRow;
  /** Live sessions. */
  sessions(): Iterable<SessionView>;
  /** The supervision tree from its root. */
  tree(): GroupView;
  /** The clock of the events' `at`, `openedAt` and `lastFailureAt`. Default `performance.now()`. */
  now?(): number;
  /**
   * True when each actor's `lastFailure` is the source's complete record (a `Broker`'s actors
   * keep theirs): the collector then shows it alone. Otherwise it also shows the last `failed`
   * event it saw for the actor, whichever is newer.
   */
  readonly failuresKept?: boolean;
}

/** Read a broker through its public API. */
export function brokerSource(broker: Broker): InspectionSource {
  return {
    events$: broker.inspect$,
    now: () => broker.inspector.now(),
    failuresKept: true,
    totals: () => broker.stats(),
    *sessions() {
      for (const s of broker.sessions) {
        const transport = s.info.transport;
        yield {
          id: s.id,
          name: s.name,
          generation: s.generation,
          transport: typeof transport === 'string' ? transport : undefined,
          openedAt: s.openedAt,
          closed: s.closed ? (s.closeReason?.kind ?? 'closed') : undefined,
          stats: () => s.stats(),
        };
      }
    },
    tree: () => groupView(broker.supervisor),
  };
}

function groupView(g: Supervisor): GroupView {
  return {
    name: g.name,
    kind: g.options.kind ?? 'one-for-one',
    onEscalation: g.options.onEscalation ?? 'escalate',
    actors: [...g.actors].map(actorView),
    groups: [...g.subgroups].map(groupView),
  };
}

function actorView(a: Actor): ActorView {
  const strategy = a.options.supervision?.strategy;
  return {
    path: a.path,
    state: a.state,
    mailbox: a.queued,
    inFlight: a.running,
    restarts: a.incarnation,
    strategy: typeof strategy === 'string' ? strategy : strategy ? 'custom' : 'resume',
    lastFailure: a.lastFailure?.detail,
    lastFailureAt: a.lastFailure?.at,
  };
}
