/**
 * The inspector's collector against a real broker with in-memory renderers (and, for timing
 * and bounds, a scripted source): it listens only while attached, its pictures carry exactly
 * `broker.stats()`, the actor tree and restarts, per-method figures, closed sessions for a
 * while, and bounded event deltas.
 */
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { Collector, brokerSource, type InspectionEvent, type InspectionSource, type SessionView } from '../../src/inspector/index.js';
import { LatencyWindow, rank } from '../../src/inspector/latency-window.js';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';

function rendererOf(broker: ReturnType<typeof createBroker>) {
  const { main, renderer } = createMemoryPair();
  const session = broker.connect(main);
  return { session, client: connect(renderer, { name: 'mem' }) };
}

function scripted(sessions: SessionView[] = []) {
  const events = new Subject<InspectionEvent>();
  const source: InspectionSource = {
    events$: events,
    totals: () => ({ sessions: sessions.length, refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0, buffered: 0, pipes: 0 }),
    sessions: () => sessions,
    tree: () => ({ name: 'root', kind: 'one-for-one', onEscalation: 'stop', actors: [], groups: [] }),
  };
  return { events, source, sessions };
}

describe('the inspector collector', () => {
  it('subscribes to inspect$ only between the first attach and the last detach', () => {
    const broker = createBroker();
    const c = new Collector(brokerSource(broker));
    expect(broker.inspector.active).toBe(false);
    const a = c.attach();
    const b = c.attach();
    expect(broker.inspector.active).toBe(true);
    a();
    a(); // a second call of the same detach is a no-op
    expect(broker.inspector.active).toBe(true);
    b();
    expect(broker.inspector.active).toBe(false);
    expect(c.attachedCount).toBe(0);
  });

  it('carries broker.stats(), per-session tables, restarts and the last failure of a real broker', async () => {
    const broker = createBroker();
    const services = broker.group('services', { onEscalation: 'restart' });
    let made = 0;
    broker.exposeModule('flaky', () => ({ n: ++made, boom: () => { throw Object.assign(new Error('kaboom'), { code: 'EBOOM' }); }, ok: () => 1 }), { supervisor: services, supervision: { strategy: 'restart' } });
    const c = new Collector(brokerSource(broker));
    const detach = c.attach();
    const cursor = c.cursor();
    const r1 = rendererOf(broker);
    const r2 = rendererOf(broker);
    const flaky = await r1.client.require<{ boom(): void; ok(): number }>('flaky');
    await flaky.ok();
    await expect(flaky.boom()).rejects.toThrow(/kaboom/);
    await until(() => made === 2, 2000, 'the restart');
    await (await r2.client.require<{ ok(): number }>('flaky')).ok();
    const pic = c.snapshot(cursor);
    expect(pic.totals).toEqual(broker.stats());
    expect(pic.sessions.map((s) => s.id).sort()).toEqual([r1.session.id, r2.session.id].sort());
    for (const s of pic.sessions) expect(s.stats).toEqual([r1.session, r2.session].find((x) => x.id === s.id)!.stats());
    const group = pic.tree.groups.find((g) => g.name === 'root/services')!;
    expect(group).toMatchObject({ kind: 'one-for-one', onEscalation: 'restart' });
    expect(group.actors[0]).toMatchObject({ path: 'module/flaky', state: 'running', restarts: 1, strategy: 'restart', lastFailure: 'EBOOM: kaboom' });
    // One row per member called: `ok` twice (one per renderer), `boom` once and failed.
    expect(pic.methods.find((m) => m.actor === 'module/flaky' && m.method === 'ok')).toMatchObject({ calls: 2, errors: 0 });
    expect(pic.methods.find((m) => m.actor === 'module/flaky' && m.method === 'boom')).toMatchObject({ calls: 1, errors: 1 });
    expect(pic.events.some((e) => e.kind === 'restarted' && e.actor === 'module/flaky')).toBe(true);
    expect(pic.eventsSkipped).toBe(0);

    r2.session.close({ kind: 'going-away' });
    const after = c.snapshot(cursor);
    expect(after.totals).toEqual(broker.stats());
    expect(after.sessions.find((s) => s.id === r2.session.id)).toMatchObject({ closed: 'going-away', stats: { refs: 0 } });
    detach();
  });

  it('shows the true age of a session and the last failure of an actor that failed before it attached', async () => {
    const broker = createBroker();
    broker.exposeModule('flaky', () => ({ boom: () => { throw Object.assign(new Error('kaboom'), { code: 'EBOOM' }); }, ok: () => 1 }));
    const r = rendererOf(broker);
    const flaky = await r.client.require<{ boom(): void; ok(): number }>('flaky');
    await expect(flaky.boom()).rejects.toThrow(/kaboom/);
    await new Promise((res) => setTimeout(res, 30));
    const c = new Collector(brokerSource(broker));
    const detach = c.attach();
    const pic = c.snapshot(c.cursor());
    const row = pic.sessions.find((s) => s.id === r.session.id)!;
    expect(row.ageKnown).toBe(true);
    expect(row.ageMs).toBeGreaterThanOrEqual(30);
    expect(row.ageMs).toBeLessThanOrEqual(broker.inspector.now() - r.session.openedAt);
    const actor = pic.tree.actors.find((a) => a.path === 'module/flaky')!;
    expect(actor.lastFailure).toBe('EBOOM: kaboom');
    expect(actor.lastFailureAgoMs).toBeGreaterThanOrEqual(30);
    detach();
  });

  it("does not show a caller's fault seen live as an actor's last failure of a broker", async () => {
    const broker = createBroker();
    broker.exposeModule('m', () => ({ ok: () => 1 }));
    const c = new Collector(brokerSource(broker));
    const detach = c.attach();
    const m = await rendererOf(broker).client.require<{ ok(): number; missing(): void }>('m');
    await m.ok();
    await expect(m.missing()).rejects.toThrow();
    const cur = c.cursor();
    cur.lastSeq = 0;
    const pic = c.snapshot(cur);
    expect(pic.events.some((e) => e.kind === 'failed' && e.actor === 'module/m')).toBe(true);
    expect(pic.tree.actors.find((a) => a.path === 'module/m')!.lastFailure).toBeUndefined();
    detach();
  });

  it('shows the newer of a source\'s failure record and the failed events it saw', () => {
    const { events, source } = scripted();
    let kept: { lastFailure?: string; lastFailureAt?: number } = { lastFailure: 'old', lastFailureAt: performance.now() - 1000 };
    const withActor: InspectionSource = { ...source, tree: () => ({ name: 'root', kind: 'one-for-one', onEscalation: 'stop', actors: [{ path: 'module/m', state: 'running', mailbox: 0, inFlight: 0, restarts: 0, ...kept }], groups: [] }) };
    const c = new Collector(withActor);
    const detach = c.attach();
    const cur = c.cursor();
    expect(c.snapshot(cur).tree.actors[0]).toMatchObject({ lastFailure: 'old' });
    events.next({ kind: 'failed', at: performance.now(), actor: 'module/m', detail: 'seen' });
    expect(c.snapshot(cur).tree.actors[0]).toMatchObject({ lastFailure: 'seen' });
    kept = { lastFailure: 'newest', lastFailureAt: performance.now() + 1 };
    expect(c.snapshot(cur).tree.actors[0]).toMatchObject({ lastFailure: 'newest' });
    detach();
  });

  it('keeps a closed session for closedLingerMs, then drops it', async () => {
    const live: SessionView = { id: 's1', generation: 0, stats: () => ({ refs: 2, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0, buffered: 0, pipes: 0 }) };
    const { events, source, sessions } = scripted([live]);
    const c = new Collector(source, { closedLingerMs: 60 });
    c.attach();
    const cur = c.cursor();
    expect(c.snapshot(cur).sessions).toMatchObject([{ id: 's1', ageKnown: false, stats: { refs: 2 } }]);
    sessions.length = 0;
    events.next({ kind: 'session-closed', at: performance.now(), session: 's1', detail: 'crashed' });
    expect(c.snapshot(cur).sessions).toMatchObject([{ id: 's1', closed: 'crashed', stats: { refs: 0 } }]);
    await new Promise((r) => setTimeout(r, 90));
    expect(c.snapshot(cur).sessions).toEqual([]);
  });

  it('shows a session that opened and closed between two pictures as closed', () => {
    const { events, source } = scripted();
    const c = new Collector(source);
    c.attach();
    const cur = c.cursor();
    events.next({ kind: 'session-opened', at: performance.now(), session: 's9' });
    events.next({ kind: 'session-closed', at: performance.now(), session: 's9', detail: 'closed' });
    expect(c.snapshot(cur).sessions).toMatchObject([{ id: 's9', closed: 'closed' }]);
  });

  it('sends each page at most eventsPerSnapshot events and counts the rest as skipped', () => {
    const { events, source } = scripted();
    const c = new Collector(source, { eventsPerSnapshot: 10, timelineLimit: 50 });
    c.attach();
    const a = c.cursor();
    for (let i = 0; i < 25; i++) events.next({ kind: 'received', at: performance.now(), session: 's1', id: i });
    const b = c.cursor(); // a page attaching now sees only what follows
    events.next({ kind: 'received', at: performance.now(), session: 's1', id: 25 });
    const pa = c.snapshot(a);
    expect(pa.events.map((e) => e.id)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(pa.eventsSkipped).toBe(16);
    expect(c.snapshot(b).events.map((e) => e.id)).toEqual([25]);
    expect(c.snapshot(a).events).toEqual([]);
  });

  it('forgets what it gathered when the last page detaches', () => {
    const { events, source } = scripted();
    const c = new Collector(source);
    const detach = c.attach();
    events.next({ kind: 'replied', at: performance.now(), actor: 'module/x', session: 's1', op: 'apply', ms: 1 });
    events.next({ kind: 'dead-letter', at: performance.now(), actor: 'module/x', detail: 'stopped' });
    expect(c.snapshot(c.cursor()).methods).toHaveLength(1);
    detach();
    expect(events.observed).toBe(false);
    c.attach();
    const pic = c.snapshot(c.cursor());
    expect(pic.methods).toEqual([]);
    expect(pic.deadLetters.total).toBe(0);
  });

  it('groups per-method figures by the method name when events carry one', () => {
    const { events, source } = scripted();
    const c = new Collector(source);
    c.attach();
    const at = performance.now();
    for (const [method, ms, kind] of [['add', 1, 'replied'], ['add', 3, 'failed'], ['sub', 2, 'replied']] as const) events.next({ kind, at, actor: 'module/m', session: 's1', op: 'apply', method, ms });
    expect(c.snapshot(c.cursor()).methods).toEqual([
      { actor: 'module/m', method: 'add', calls: 2, errors: 1, p50: 1, p99: 3 },
      { actor: 'module/m', method: 'sub', calls: 1, errors: 0, p50: 2, p99: 2 },
    ]);
  });

  it('names a non-apply call by its operation and member, and a call without a member by its operation', () => {
    const { events, source } = scripted();
    const c = new Collector(source);
    c.attach();
    const at = performance.now();
    events.next({ kind: 'replied', at, actor: 'module/m', session: 's1', op: 'get', method: 'version', ms: 1 });
    events.next({ kind: 'replied', at, actor: 'module/m', session: 's1', op: 'apply', ms: 1 });
    expect(c.snapshot(c.cursor()).methods.map((m) => m.method).sort()).toEqual(['apply', 'get version']);
  });
});

describe('the latency window', () => {
  it('drops samples older than the window and keeps at most its capacity', () => {
    const w = new LatencyWindow(100, 4);
    for (let i = 0; i < 6; i++) w.add(i, i + 1, i !== 5);
    expect(w.summary(50)).toEqual({ calls: 4, errors: 1, p50: 4, p99: 6 });
    expect(w.summary(104).calls).toBe(2); // samples at 4 and 5 remain
  });

  it('takes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(rank(v, 0.5)).toBe(50);
    expect(rank(v, 0.99)).toBe(99);
    expect(rank([], 0.5)).toBe(0);
  });
});
