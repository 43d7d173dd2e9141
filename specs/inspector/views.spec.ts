/**
 * The inspector page's views as plain functions (they run in the page; here in Node): what a
 * renderer controls (its name, error messages, session ids) is escaped, states are labelled,
 * and the timeline filters, pauses and bounds what it keeps.
 */
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/inspector/page/timeline.js';
import { actorsView, sessionsView } from '../../src/inspector/page/views.js';
import type { TimelineEvent } from '../../src/inspector/snapshot.js';

const zero = { refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0, buffered: 0, pipes: 0 };

describe('the inspector views', () => {
  it('escapes a renderer-chosen session name and failure text', () => {
    const html = sessionsView([{ id: 's1', name: '<img src=x onerror=alert(1)>', generation: 0, stats: zero, ageMs: 1000, ageKnown: true }]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
    const tree = actorsView({ name: 'root', kind: 'one-for-one', onEscalation: 'stop', groups: [], actors: [{ path: 'module/a', state: 'restarting', mailbox: 3, inFlight: 1, restarts: 2, lastFailure: '<b>boom</b>' }] });
    expect(tree).not.toContain('<b>boom');
    expect(tree).toContain('backing off');
  });

  it('marks a session age that is only a lower bound, and a closed session', () => {
    const html = sessionsView([
      { id: 's1', generation: 0, stats: zero, ageMs: 2500, ageKnown: false },
      { id: 's2', generation: 1, stats: zero, ageMs: 0, ageKnown: true, closed: 'going-away' },
    ]);
    expect(html).toContain('≥ 2.5 s');
    expect(html).toMatch(/<tr data-session="s2" class="closed">.*closed: going-away/);
  });

  it('filters the timeline by session, actor and kind, and keeps at most its limit', () => {
    const tl = new Timeline(3);
    const ev = (seq: number, kind: string, session: string, actor?: string): TimelineEvent => ({ seq, kind, t: seq, session, actor });
    tl.add([ev(1, 'received', 's1'), ev(2, 'started', 's1', 'module/a'), ev(3, 'failed', 's2', 'module/b')], 0);
    expect(tl.view({ session: 's2', actor: '', kind: '' }).match(/data-kind=/g)).toHaveLength(1);
    expect(tl.view({ session: '', actor: 'module/a', kind: 'started' })).toContain('data-kind="started"');
    tl.add([ev(4, 'replied', 's3', 'module/a')], 5);
    expect(tl.view({ session: '', actor: '', kind: '' }).match(/data-kind=/g)).toHaveLength(3);
    expect([...tl.sessions].sort()).toEqual(['s1', 's2', 's3']);
    expect(tl.skipped).toBe(5);
    tl.add([ev(5, 'replied', 's3'), ev(6, 'replied', 's3')], 0);
    expect([...tl.sessions]).toEqual(['s3']); // what is no longer kept leaves the filter lists
  });
});
