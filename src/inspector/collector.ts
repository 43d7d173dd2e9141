/**
 * The collector: turns an {@link InspectionSource} into {@link InspectorSnapshot}s. It listens
 * to `inspect$` only between the first `attach()` and the last detach, and forgets everything
 * it gathered when the last page leaves, so an inspector nobody looks at costs main nothing.
 * While attached every structure is bounded (a ring of events, a capped window per method, a
 * capped map of methods, a short list of dead letters), whatever rate main runs at.
 * @packageDocumentation
 */
import type { Subscription } from 'rxjs';
import { LatencyWindow } from './latency-window.js';
import type { DeadLetterRow, GroupRow, InspectorSnapshot, SeriesPoint, SessionRow, TableCounts, TimelineEvent } from './snapshot.js';
import type { GroupView, InspectionEvent, InspectionSource } from './source.js';

/** Collector settings (all optional; see {@link defaultCollectorOptions}). */
export interface CollectorOptions {
  /** Sliding window of the per-method figures, ms. */
  windowMs?: number;
  /** How long a closed session stays (greyed out) before it leaves, ms. */
  closedLingerMs?: number;
  /** Events kept for pages that fall behind. */
  timelineLimit?: number;
  /** Events sent with one picture at most (the newest). */
  eventsPerSnapshot?: number;
  /** Methods tracked at most (beyond it the oldest-seen method is forgotten). */
  maxMethods?: number;
  /** Seconds of chart kept. */
  seriesSeconds?: number;
}

/** The defaults of {@link CollectorOptions}. */
export const defaultCollectorOptions: Required<CollectorOptions> = {
  windowMs: 10_000,
  closedLingerMs: 5_000,
  timelineLimit: 1_000,
  eventsPerSnapshot: 200,
  maxMethods: 256,
  seriesSeconds: 60,
};

/** Where one page is in the event sequence. */
export interface Cursor {
  /** Last event seq sent to this page. */
  lastSeq: number;
  /** Pictures sent to this page. */
  pictures: number;
}

interface ClosedSession {
  readonly row: SessionRow;
  readonly closedAt: number;
}

const ZERO: TableCounts = { refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0, buffered: 0, pipes: 0 };
const defaultClock = (): number => performance.now();

/** Builds pictures of a source while at least one page is attached. */
export class Collector {
  private readonly o: Required<CollectorOptions>;
  private attached = 0;
  private sub: Subscription | undefined;
  private t0 = 0;
  private seq = 0;
  private ring: (TimelineEvent | undefined)[] = [];
  private readonly methods = new Map<string, { actor: string; method: string; w: LatencyWindow }>();
  private readonly failures = new Map<string, { detail: string; at: number }>();
  private readonly opened = new Map<string, number>();
  private readonly closeReasons = new Map<string, string>();
  private readonly live = new Map<string, { firstSeen: number; known: boolean; row: SessionRow }>();
  private readonly closed = new Map<string, ClosedSession>();
  private deadTotal = 0;
  private dead: { at: number; e: InspectionEvent }[] = [];
  private buckets = new Map<number, number>();
  private series: SeriesPoint[] = [];
  private lastSecond = -1;

  private readonly clock: () => number;

  constructor(private readonly source: InspectionSource, options: CollectorOptions = {}) {
    this.o = { ...defaultCollectorOptions, ...options };
    this.clock = source.now ? () => source.now!() : defaultClock;
  }

  /** Pages attached now. */
  get attachedCount(): number {
    return this.attached;
  }

  /** Start listening (on the first attach); the returned function detaches, once. */
  attach(): () => void {
    if (this.attached++ === 0) {
      this.t0 = this.clock();
      this.lastSecond = -1;
      this.sub = this.source.events$.subscribe((e) => this.onEvent(e));
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.attached === 0) this.reset();
    };
  }

  /** A fresh cursor for a page that starts now (it sees events from here on). */
  cursor(): Cursor {
    return { lastSeq: this.seq, pictures: 0 };
  }

  private reset(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    this.seq = 0;
    this.ring = [];
    this.methods.clear();
    this.failures.clear();
    this.opened.clear();
    this.closeReasons.clear();
    this.live.clear();
    this.closed.clear();
    this.deadTotal = 0;
    this.dead = [];
    this.buckets.clear();
    this.series = [];
  }

  private onEvent(e: InspectionEvent): void {
    const seq = ++this.seq;
    const t = e.at - this.t0;
    const ev: TimelineEvent = { seq, kind: e.kind, t, actor: e.actor, session: e.session, id: e.id, op: e.op, ms: e.ms, detail: e.detail };
    this.ring[seq % this.o.timelineLimit] = ev;
    switch (e.kind) {
      case 'started': {
        const sec = Math.floor(t / 1000);
        this.buckets.set(sec, (this.buckets.get(sec) ?? 0) + 1);
        break;
      }
      case 'replied':
      case 'failed':
        if (e.actor && e.ms !== undefined && e.op !== undefined && e.session !== undefined) this.method(e.actor, methodLabel(e.op, e.method)).add(e.at, e.ms, e.kind === 'replied');
        if (e.kind === 'failed' && e.actor && !this.source.failuresKept) this.failures.set(e.actor, { detail: e.detail ?? 'failed', at: e.at });
        break;
      case 'session-opened':
        if (e.session) this.opened.set(e.session, e.at);
        break;
      case 'session-closed':
        if (e.session) this.closeReasons.set(e.session, e.detail ?? 'closed');
        break;
      case 'dead-letter':
        this.deadTotal++;
        this.dead.push({ at: e.at, e });
        if (this.dead.length > 40) this.dead = this.dead.slice(-20);
        break;
    }
  }

  private method(actor: string, method: string) {
    const key = `${actor}\u0000${method}`;
    let m = this.methods.get(key);
    if (!m) {
      if (this.methods.size >= this.o.maxMethods) this.methods.delete(this.methods.keys().next().value!);
      m = { actor, method, w: new LatencyWindow(this.o.windowMs) };
      this.methods.set(key, m);
    }
    return m.w;
  }

  /** The picture now, for the page at `cursor` (advanced past the events it carries). */
  snapshot(cursor: Cursor): InspectorSnapshot {
    const now = this.clock();
    const t = now - this.t0;
    const totals = this.source.totals();
    this.advanceSeries(t, totals.refs);
    const paths = new Set<string>();
    const tree = this.group(this.source.tree(), now, paths);
    // Failures of actors that left the tree (withdrawn, session-scoped ones that ended) go too.
    for (const p of this.failures.keys()) if (!paths.has(p)) this.failures.delete(p);
    return {
      seq: ++cursor.pictures,
      t,
      totals,
      sessions: this.sessions(now),
      tree,
      methods: this.methodRows(now),
      windowMs: this.o.windowMs,
      deadLetters: { total: this.deadTotal, recent: this.dead.slice(-20).reverse().map(({ at, e }): DeadLetterRow => ({ agoMs: now - at, actor: e.actor, session: e.session, op: e.op, reason: e.detail })) },
      ...this.eventsFor(cursor),
      series: this.series,
    };
  }

  private eventsFor(cursor: Cursor): { events: TimelineEvent[]; eventsSkipped: number } {
    const from = Math.max(cursor.lastSeq + 1, this.seq - Math.min(this.o.eventsPerSnapshot, this.o.timelineLimit) + 1);
    const events: TimelineEvent[] = [];
    for (let s = from; s <= this.seq; s++) {
      const ev = this.ring[s % this.o.timelineLimit];
      if (ev?.seq === s) events.push(ev);
    }
    const skipped = this.seq - cursor.lastSeq - events.length;
    cursor.lastSeq = this.seq;
    return { events, eventsSkipped: skipped };
  }

  private advanceSeries(t: number, refs: number): void {
    const current = Math.floor(t / 1000);
    if (this.lastSecond < 0) this.lastSecond = current - 1;
    for (let s = Math.max(this.lastSecond + 1, current - this.o.seriesSeconds); s < current; s++) {
      this.series.push({ t: s + 1, calls: this.buckets.get(s) ?? 0, refs });
    }
    for (const s of this.buckets.keys()) if (s < current) this.buckets.delete(s);
    if (current > this.lastSecond + 1) this.lastSecond = current - 1;
    if (this.series.length > this.o.seriesSeconds) this.series = this.series.slice(-this.o.seriesSeconds);
  }

  private sessions(now: number): SessionRow[] {
    const seen = new Set<string>();
    const rows: SessionRow[] = [];
    for (const s of this.source.sessions()) {
      seen.add(s.id);
      let rec = this.live.get(s.id);
      const openedAt = s.openedAt ?? this.opened.get(s.id);
      if (!rec) {
        rec = { firstSeen: openedAt ?? now, known: openedAt !== undefined, row: undefined as never };
        this.live.set(s.id, rec);
      }
      rec.row = { id: s.id, name: s.name, generation: s.generation, transport: s.transport, stats: s.stats(), ageMs: now - rec.firstSeen, ageKnown: rec.known, closed: s.closed };
      rows.push(rec.row);
    }
    for (const [id, rec] of this.live) {
      if (seen.has(id)) continue;
      this.live.delete(id);
      this.closed.set(id, { closedAt: now, row: { ...rec.row, stats: ZERO, closed: this.closeReasons.get(id) ?? 'closed' } });
    }
    // Sessions that opened and closed between two pictures still get their grey row.
    for (const [id, reason] of this.closeReasons) {
      if (!this.closed.has(id) && !seen.has(id) && this.opened.has(id)) {
        this.closed.set(id, { closedAt: now, row: { id, generation: 0, stats: ZERO, ageMs: 0, ageKnown: true, closed: reason } });
      }
      this.closeReasons.delete(id);
      this.opened.delete(id);
    }
    for (const [id, c] of this.closed) {
      if (now - c.closedAt > this.o.closedLingerMs) this.closed.delete(id);
      else rows.push(c.row);
    }
    return rows;
  }

  private group(g: GroupView, now: number, paths: Set<string>): GroupRow {
    const actors = g.actors.map((a) => {
      paths.add(a.path);
      const { lastFailureAt, ...view } = a;
      const seen = this.failures.get(a.path);
      // The newer of the source's record and the last `failed` event seen (never kept when the source's record is complete).
      const f = seen && (a.lastFailure === undefined || (lastFailureAt !== undefined && seen.at > lastFailureAt)) ? seen : undefined;
      const lastFailure = f ? f.detail : a.lastFailure;
      const at = f ? f.at : lastFailureAt;
      return { ...view, lastFailure, lastFailureAgoMs: lastFailure !== undefined && at !== undefined ? Math.max(0, now - at) : undefined };
    });
    paths.add(g.name);
    return { name: g.name, kind: g.kind, onEscalation: g.onEscalation, actors, groups: g.groups.map((c) => this.group(c, now, paths)) };
  }

  private methodRows(now: number) {
    const rows = [];
    for (const [key, m] of this.methods) {
      const s = m.w.summary(now);
      if (s.calls === 0) {
        this.methods.delete(key);
        continue;
      }
      rows.push({ actor: m.actor, method: m.method, ...s });
    }
    return rows.sort((a, b) => b.calls - a.calls || a.actor.localeCompare(b.actor));
  }
}

/**
 * The per-method row name of a call: the member it named for `apply` (`add`), the operation and
 * member otherwise (`get version`, `sub ticks`), the bare operation when no member is known.
 */
function methodLabel(op: string, method: string | undefined): string {
  if (method === undefined) return op;
  return op === 'apply' ? method : `${op} ${method}`;
}
