/**
 * Where the inspector gets its facts: a narrow interface ({@link InspectionSource}) and the
 * adapter that fills it from a broker's public API only (`inspect$`, `stats()`, `sessions`,
 * the supervision tree). Anything the broker does not expose is left undefined here and
 * filled from events by the collector, or not shown; nothing is made up.
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';
import type { Actor, Broker, InspectEvent, Supervisor } from '../main/index.js';
import type { TableCounts, TotalsRow } from './snapshot.js';

/** An inspection event; `method` is read when the broker supplies it (the property a call named). */
export type InspectionEvent = InspectEvent & { readonly method?: string };

/** A live session as the inspector sees it. */
export interface SessionView {
  readonly id: string;
  readonly name?: string;
  readonly generation: number;
  readonly transport?: string;
  /** When it opened (`performance.now()` clock), if the source knows. */
  readonly openedAt?: number;
  /** Why it closed, once it has. */
  readonly closed?: string;
  stats(): TableCounts;
}

/** An actor as the inspector sees it. */
export interface ActorView {
  readonly path: string;
  readonly state: string;
  readonly mailbox: number;
  readonly inFlight: number;
  readonly restarts: number;
  readonly strategy?: string;
  /** Its last failure, if the source keeps one (else the collector's own record is used). */
  readonly lastFailure?: string;
}

/** A supervision group as the inspector sees it. */
export interface GroupView {
  readonly name: string;
  readonly kind: string;
  readonly onEscalation: string;
  readonly actors: readonly ActorView[];
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
}

/** Read a broker through its public API. */
export function brokerSource(broker: Broker): InspectionSource {
  return {
    events$: broker.inspect$,
    totals: () => broker.stats(),
    *sessions() {
      for (const s of broker.sessions) {
        const transport = s.info.transport;
        yield {
          id: s.id,
          name: s.name,
          generation: s.generation,
          transport: typeof transport === 'string' ? transport : undefined,
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
  };
}
