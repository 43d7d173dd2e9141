/**
 * The inspector page's tables, as HTML strings built from one picture. Every value is escaped;
 * every row and cell carries a `data-` name so tests (and users' scripts) can read the page.
 * @packageDocumentation
 */
import type { ActorRow, DeadLetterRow, GroupRow, MethodRow, SessionRow, TotalsRow } from '../snapshot.js';

/** Escape text for HTML. */
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `1.2 s`, `3 m 4 s`, `2 h 5 m`. */
export function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${Math.floor(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}

const num = (k: string, v: number): string => `<td class="n" data-k="${k}">${v}</td>`;
const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const empty = (cols: number, text: string): string => `<tr><td colspan="${cols}" class="empty">${esc(text)}</td></tr>`;

/** The totals strip: `broker.stats()` of the picture. */
export function totalsView(t: TotalsRow): string {
  const keys: (keyof TotalsRow)[] = ['sessions', 'refs', 'callbacks', 'listeners', 'subscriptions', 'pending', 'buffered'];
  return keys.map((k) => `<div class="stat" data-stat="${k}"><b>${t[k]}</b><span>${k}</span></div>`).join('');
}

/** One row per session, closed ones last and struck through. */
export function sessionsView(rows: readonly SessionRow[]): string {
  const head = '<tr><th>session</th><th>name</th><th>transport</th><th class="n">gen</th><th class="n">refs</th><th class="n">callbacks</th><th class="n">listeners</th><th class="n">subs</th><th class="n">pending</th><th class="n">buffered</th><th class="n">age</th><th>state</th></tr>';
  const body = rows.map((r) => {
    const s = r.stats;
    const state = r.closed ? `<td data-k="state">closed: ${esc(r.closed)}</td>` : '<td data-k="state" class="ok">open</td>';
    return `<tr data-session="${esc(r.id)}"${r.closed ? ' class="closed"' : ''}><td>${esc(r.id)}</td><td>${esc(r.name ?? '')}</td><td>${esc(r.transport ?? '')}</td>${num('generation', r.generation)}${num('refs', s.refs)}${num('callbacks', s.callbacks)}${num('listeners', s.listeners)}${num('subscriptions', s.subscriptions)}${num('pending', s.pending)}${num('buffered', s.buffered)}<td class="n" data-k="age">${r.ageKnown ? '' : '≥ '}${duration(r.ageMs)}</td>${state}</tr>`;
  });
  return `<table>${head}${body.join('') || empty(12, 'no renderer connected')}</table>`;
}

const STATE_LABEL: Record<string, [string, string]> = {
  running: ['running', 'ok'],
  restarting: ['backing off', 'warn'],
  stopped: ['stopped', 'bad'],
};

function actorRow(a: ActorRow): string {
  const [label, cls] = STATE_LABEL[a.state] ?? [a.state, ''];
  const failure = a.lastFailure ? `${esc(a.lastFailure)}${a.lastFailureAgoMs !== undefined ? ` <span class="muted">${duration(a.lastFailureAgoMs)} ago</span>` : ''}` : '<span class="muted">–</span>';
  return `<tr data-actor="${esc(a.path)}"><td>&nbsp;&nbsp;${esc(a.path)}</td><td data-k="state" class="${cls}">${label}</td>${num('mailbox', a.mailbox)}${num('inFlight', a.inFlight)}<td class="n${a.restarts ? ' warn' : ''}" data-k="restarts">${a.restarts}</td><td data-k="strategy">${esc(a.strategy ?? '')}</td><td data-k="lastFailure" title="${esc(a.lastFailure ?? '')}">${failure}</td></tr>`;
}

function groupRows(g: GroupRow): string[] {
  const head = `<tr class="group" data-group="${esc(g.name)}"><td colspan="7">${esc(g.name)} <span class="muted">${esc(g.kind)}, on escalation: ${esc(g.onEscalation)}</span></td></tr>`;
  return [head, ...g.actors.map(actorRow), ...g.groups.flatMap(groupRows)];
}

/** The supervision tree, a header row per group. */
export function actorsView(tree: GroupRow): string {
  const head = '<tr><th>actor</th><th>state</th><th class="n">mailbox</th><th class="n">in flight</th><th class="n">restarts</th><th>strategy</th><th>last failure</th></tr>';
  return `<table>${head}${groupRows(tree).join('')}</table>`;
}

/** Per-method calls, errors and latency over the window. */
export function methodsView(rows: readonly MethodRow[]): string {
  const head = '<tr><th>actor</th><th>method</th><th class="n">calls</th><th class="n">errors</th><th class="n">p50 ms</th><th class="n">p99 ms</th></tr>';
  const body = rows.map((m) => `<tr data-method="${esc(`${m.actor} ${m.method}`)}"><td>${esc(m.actor)}</td><td>${esc(m.method)}</td>${num('calls', m.calls)}<td class="n${m.errors ? ' bad' : ''}" data-k="errors">${m.errors}</td><td class="n">${ms(m.p50)}</td><td class="n">${ms(m.p99)}</td></tr>`);
  return `<table>${head}${body.join('') || empty(6, 'no calls in the window')}</table>`;
}

/** Dead letters: the total and the latest few. */
export function deadView(d: { total: number; recent: readonly DeadLetterRow[] }): string {
  const rows = d.recent.slice(0, 8).map((r) => `<tr><td class="n">${duration(r.agoMs)}</td><td>${esc(r.actor ?? '')}</td><td>${esc(r.op ?? '')}</td><td>${esc(r.session ?? '')}</td><td>${esc(r.reason ?? '')}</td></tr>`);
  return `<div class="muted">total <b data-stat="deadLetters">${d.total}</b> since attached</div><table><tr><th class="n">ago</th><th>actor</th><th>op</th><th>session</th><th>reason</th></tr>${rows.join('') || empty(5, 'none')}</table>`;
}
