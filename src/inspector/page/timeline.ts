/**
 * The timeline's state in the page: the last events (a bounded ring), the filters by session,
 * actor and kind, and pause. While paused, new events are kept (up to the same bound) but the
 * view stands still; resume shows them.
 * @packageDocumentation
 */
import type { TimelineEvent } from '../snapshot.js';
import { esc } from './views.js';

/** Filters of the timeline; an empty string matches everything. */
export interface TimelineFilter {
  session: string;
  actor: string;
  kind: string;
}

const KIND_CLASS: Record<string, string> = { failed: 'bad', 'dead-letter': 'bad', 'mailbox-full': 'bad', timeout: 'bad', dropped: 'bad', restarting: 'warn', restarted: 'warn', stopped: 'bad', escalated: 'warn', 'session-opened': 'ok', 'session-closed': 'muted' };

/** The events the page keeps, and what it shows of them. */
export class Timeline {
  private events: TimelineEvent[] = [];
  /** Events main could not send (over its per-picture bound) or that were lost with dropped pictures. */
  skipped = 0;
  /** Pictures lost to flow control (their events are gone). */
  droppedPictures = 0;
  paused = false;
  readonly sessions = new Set<string>();
  readonly actors = new Set<string>();
  readonly kinds = new Set<string>();

  constructor(readonly limit = 2000) {}

  /** Take the events of one picture. */
  add(events: readonly TimelineEvent[], skipped: number): void {
    this.skipped += skipped;
    this.events.push(...events);
    if (this.events.length > this.limit) {
      this.events = this.events.slice(-this.limit);
      // The filters offer what is still kept: a long run of reloads does not grow the lists.
      this.sessions.clear();
      this.actors.clear();
      this.kinds.clear();
      this.index(this.events);
    } else this.index(events);
  }

  private index(events: readonly TimelineEvent[]): void {
    for (const e of events) {
      if (e.session) this.sessions.add(e.session);
      if (e.actor) this.actors.add(e.actor);
      this.kinds.add(e.kind);
    }
  }

  /** The newest `max` events matching `f`, newest first, as a table. */
  view(f: TimelineFilter, max = 150): string {
    const rows: string[] = [];
    for (let i = this.events.length - 1; i >= 0 && rows.length < max; i--) {
      const e = this.events[i]!;
      if ((f.session && e.session !== f.session) || (f.actor && e.actor !== f.actor) || (f.kind && e.kind !== f.kind)) continue;
      rows.push(`<tr data-kind="${esc(e.kind)}"><td class="n">${(e.t / 1000).toFixed(3)}</td><td class="${KIND_CLASS[e.kind] ?? ''}">${esc(e.kind)}</td><td>${esc(e.session ?? '')}</td><td>${esc(e.actor ?? '')}</td><td>${esc(e.op ?? '')}</td><td class="n">${e.id ?? ''}</td><td class="n">${e.ms === undefined ? '' : e.ms.toFixed(2)}</td><td>${esc(e.detail ?? '')}</td></tr>`);
    }
    const head = '<tr><th class="n">t (s)</th><th>kind</th><th>session</th><th>actor</th><th>op</th><th class="n">id</th><th class="n">ms</th><th>detail</th></tr>';
    return `<table>${head}${rows.join('') || '<tr><td colspan="8" class="empty">no events</td></tr>'}</table>`;
  }
}
