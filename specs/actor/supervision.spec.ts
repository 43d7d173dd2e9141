import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { callContext, createBroker, type DeadLetter, type InspectEvent } from '../../src/entries/main.js';
import { until } from '../support/workers.js';
import { gate } from './support.js';
import { codeOf, renderer } from './renderers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

/** A main-side service whose counter shows whether its state survived. */
function service(block?: Promise<void>) {
  let n = 0;
  return () => {
    n = 0;
    return {
      inc: () => ++n,
      crash: (message = 'boom'): never => {
        throw new Error(message);
      },
      crashLater: async (): Promise<never> => {
        await new Promise((r) => setTimeout(r, 1));
        throw new Error('async boom');
      },
      hang: () => new Promise<never>(() => undefined),
      block: () => block,
      thing: () => ({ value: () => n }),
    };
  };
}

function recorder(broker: ReturnType<typeof createBroker>) {
  const events: InspectEvent[] = [];
  const dead: DeadLetter[] = [];
  broker.inspect$.subscribe((e) => events.push(e));
  broker.deadLetters$.subscribe((d) => dead.push(d));
  return { events, dead };
}

describe('supervised actors, called from a worker renderer', () => {
  it('resume: replies with the error and keeps the actor state', async () => {
    const broker = createBroker();
    const actor = broker.exposeModule('svc', service(), { supervision: { strategy: 'resume' } });
    const r = await renderer(broker, workers);
    const [one, crash, crashLater, two] = await r.burst('svc', ['inc'], ['crash', 'bad input'], ['crashLater'], ['inc']);
    expect(one!.value).toBe(1);
    expect(crash!.error).toMatchObject({ message: 'bad input', remoraCode: 'E_TARGET_THREW' });
    expect(crashLater!.error).toMatchObject({ message: 'async boom' });
    expect(two!.value).toBe(2);
    expect((await r.call('svc', 'inc')).value).toBe(3);
    expect(actor.incarnation).toBe(0);
  });

  it('restart: fresh state behind the same ref, and refs into the old incarnation answer E_STALE_REF', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    const actor = broker.exposeModule('svc', service(), { supervision: { strategy: 'restart' } });
    const r = await renderer(broker, workers);
    expect((await r.burst('svc', ['inc'], ['inc'])).map((o) => o.value)).toEqual([1, 2]);
    expect(await r.one({ cmd: 'derive', module: 'svc', method: 'thing', then: 'value' })).toMatchObject({ ok: true, value: 2 });
    const [crash, fresh] = await r.burst('svc', ['crash'], ['inc']);
    expect(crash!.error).toMatchObject({ message: 'boom' });
    expect(fresh!.value).toBe(1);
    expect(actor.incarnation).toBe(1);
    expect(events.find((e) => e.kind === 'restarted')).toMatchObject({ actor: 'module/svc', detail: 'Error: boom' });
    const stale = await r.one({ cmd: 'derived' });
    expect(codeOf(stale)).toBe('E_STALE_REF');
  });

  it('stop: later messages answer E_ACTOR_STOPPED, become dead letters, and require fails too', async () => {
    const broker = createBroker();
    const { dead } = recorder(broker);
    const actor = broker.exposeModule('svc', service(), { supervision: { strategy: 'stop' } });
    const r = await renderer(broker, workers);
    const [one, crash, after] = await r.burst('svc', ['inc'], ['crash'], ['inc']);
    expect(one!.value).toBe(1);
    expect(crash!.error).toMatchObject({ message: 'boom' });
    expect(codeOf(after!)).toBe('E_ACTOR_STOPPED');
    expect(actor.state).toBe('stopped');
    expect(codeOf(await r.one({ cmd: 'require', module: 'svc' }))).toBe('E_ACTOR_STOPPED');
    expect(dead).toEqual([
      { actor: 'module/svc', session: r.session.id, id: expect.any(Number), op: 'apply', reason: 'stopped' },
      { actor: 'module/svc', session: r.session.id, id: expect.any(Number), op: 'require', reason: 'stopped' },
    ]);
  });

  it('escalate: the parent group applies its directive to every actor in it', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    const docs = broker.group('docs', { onEscalation: 'restart' });
    const a = broker.exposeModule('a', service(), { supervisor: docs, supervision: { strategy: 'escalate' } });
    const b = broker.exposeModule('b', service(), { supervisor: docs });
    const loner = broker.exposeModule('loner', service(), { supervision: { strategy: 'escalate' } });
    const r = await renderer(broker, workers);
    expect((await r.burst('b', ['inc'], ['inc'])).map((o) => o.value)).toEqual([1, 2]);
    expect((await r.call('a', 'crash')).error).toMatchObject({ message: 'boom' });
    expect([a.incarnation, b.incarnation]).toEqual([1, 1]);
    expect((await r.call('b', 'inc')).value).toBe(1);
    expect(events.find((e) => e.kind === 'escalated')).toMatchObject({ actor: 'module/a', detail: 'to root/docs' });
    // Escalating straight to the root stops that actor only.
    await r.call('loner', 'crash');
    expect(loner.state).toBe('stopped');
    expect(codeOf(await r.call('loner', 'inc'))).toBe('E_ACTOR_STOPPED');
    expect((await r.call('b', 'inc')).value).toBe(2);
  });

  it('restart intensity: restart N+1 within the window stops the actor and escalates', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    const actor = broker.exposeModule('svc', service(), { supervision: { strategy: 'restart', maxRestarts: 2, withinMs: 60_000 } });
    const r = await renderer(broker, workers);
    const out = await r.burst('svc', ['crash'], ['inc'], ['crash'], ['inc'], ['crash'], ['inc']);
    expect(out.map((o) => (o.ok ? o.value : codeOf(o)))).toEqual(['E_TARGET_THREW', 1, 'E_TARGET_THREW', 1, 'E_TARGET_THREW', 'E_ACTOR_STOPPED']);
    expect(out[4]!.error).toMatchObject({ message: 'boom' });
    expect(actor.state).toBe('stopped');
    expect(events.filter((e) => e.kind === 'restarted')).toHaveLength(2);
    expect(events.find((e) => e.kind === 'escalated')).toMatchObject({ actor: 'module/svc', detail: 'to root' });
  });

  it('holds messages arriving during a backoff restart in the bounded mailbox and runs them on the fresh instance', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    broker.exposeModule('svc', service(), {
      mailbox: { capacity: 3 },
      supervision: { strategy: 'restart', backoff: { minMs: 50, jitter: 0 } },
    });
    const r = await renderer(broker, workers);
    const out = await r.burst('svc', ['inc'], ['inc'], ['crash'], ['inc'], ['inc'], ['inc'], ['inc']);
    expect(out.map((o) => (o.ok ? o.value : codeOf(o)))).toEqual([1, 2, 'E_TARGET_THREW', 1, 2, 3, 'E_MAILBOX_FULL']);
    const kinds = events.filter((e) => e.actor === 'module/svc').map((e) => e.kind);
    const restarting = kinds.indexOf('restarting');
    const restarted = kinds.indexOf('restarted');
    expect(kinds.indexOf('mailbox-full')).toBeGreaterThan(restarting);
    expect(kinds.indexOf('mailbox-full')).toBeLessThan(restarted);
    // Nothing started between the failure and the restart: the three waited.
    expect(kinds.slice(restarting, restarted)).not.toContain('started');
    expect(kinds.slice(restarted).filter((k) => k === 'replied')).toHaveLength(3);
  });

  it('fails a hung handler past its deadline with E_TIMEOUT and counts it as a failure', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    const actor = broker.exposeModule('svc', service(), { mailbox: { mode: 'serial', deadlineMs: 200 }, supervision: { strategy: 'restart' } });
    const r = await renderer(broker, workers);
    const out = await r.burst('svc', ['inc'], ['inc'], ['hang'], ['inc']);
    expect(out.map((o) => (o.ok ? o.value : codeOf(o)))).toEqual([1, 2, 'E_TIMEOUT', 1]);
    expect(out[2]!.error!.message).toContain('200 ms deadline');
    expect(actor.incarnation).toBe(1);
    expect(events.find((e) => e.kind === 'timeout')).toMatchObject({ actor: 'module/svc', session: r.session.id, op: 'apply', ms: 200 });
  });

  it("aborts a hung handler's callContext signal with E_TIMEOUT when its deadline passes", async () => {
    const broker = createBroker();
    const reasons: unknown[] = [];
    broker.exposeModule(
      'svc',
      () => ({
        poll: () =>
          new Promise<never>(() => {
            const { signal } = callContext()!;
            signal.addEventListener('abort', () => reasons.push(signal.reason));
          }),
      }),
      { mailbox: { deadlineMs: 100 } },
    );
    const r = await renderer(broker, workers);
    expect(codeOf(await r.call('svc', 'poll'))).toBe('E_TIMEOUT');
    expect(reasons).toEqual([expect.objectContaining({ code: 'E_TIMEOUT' })]);
  });

  it('refuses a message to a full mailbox at once with E_MAILBOX_FULL while earlier ones still wait', async () => {
    const broker = createBroker();
    const g = gate();
    const actor = broker.exposeModule('svc', service(g.promise), { mailbox: { mode: 'serial', capacity: 2 } });
    const r = await renderer(broker, workers);
    const c = r.command({ cmd: 'burst', module: 'svc', calls: [['block'], ['inc'], ['inc'], ['inc']] });
    const refused = await c.at(3);
    expect(codeOf(refused)).toBe('E_MAILBOX_FULL');
    expect(c.results.size).toBe(1);
    expect([actor.running, actor.queued]).toEqual([1, 2]);
    g.open();
    await c.finished;
    expect([0, 1, 2].map((i) => c.results.get(i)!.ok)).toEqual([true, true, true]);
    expect(c.results.get(2)!.value).toBe(2);
  });

  it('sends messages for a stopped actor and for a missing ref to dead letters, with a typed error to the caller', async () => {
    const broker = createBroker();
    const { dead } = recorder(broker);
    broker.exposeModule('svc', service(), { supervision: { strategy: 'stop' } });
    const r = await renderer(broker, workers);
    await r.call('svc', 'crash');
    const stopped = await r.call('svc', 'inc');
    expect(stopped.error).toMatchObject({ name: 'RemoraError', code: 'E_ACTOR_STOPPED' });
    const missing = await r.one({ cmd: 'missing' });
    expect(missing.error).toMatchObject({ name: 'RemoraError', code: 'E_NO_OBJECT' });
    expect(dead.map((d) => [d.actor, d.reason, d.session, d.op])).toEqual([
      ['module/svc', 'stopped', r.session.id, 'apply'],
      ['ref/987654', 'missing', r.session.id, 'apply'],
    ]);
  });

  it('reports each step on inspect$ with actor path, session and timing', async () => {
    const broker = createBroker();
    const { events } = recorder(broker);
    broker.exposeModule('svc', service(), { supervision: { strategy: 'restart' } });
    const r = await renderer(broker, workers);
    await r.burst('svc', ['inc'], ['crash']);
    await r.w.terminate();
    await until(() => events.some((e) => e.kind === 'session-closed'), 5000, 'session close');
    const s = r.session.id;
    const mine = events.filter((e) => e.session === s || e.actor === 'module/svc');
    expect(mine[0]).toMatchObject({ kind: 'session-opened', session: s });
    const started = mine.find((e) => e.kind === 'started' && e.op === 'apply')!;
    expect(started).toMatchObject({ actor: 'module/svc', session: s, id: expect.any(Number) });
    const replied = mine.find((e) => e.kind === 'replied' && e.id === started.id)!;
    expect(replied).toMatchObject({ actor: 'module/svc', session: s, op: 'apply' });
    expect(replied.ms).toBeGreaterThanOrEqual(0);
    expect(replied.at).toBeGreaterThanOrEqual(started.at);
    expect(mine.find((e) => e.kind === 'failed')).toMatchObject({ actor: 'module/svc', session: s, detail: 'Error: boom' });
    expect(mine.find((e) => e.kind === 'restarted')).toMatchObject({ actor: 'module/svc' });
    expect(mine.at(-1)).toMatchObject({ kind: 'session-closed', session: s });
    const order = mine.map((e) => e.kind);
    expect(order.indexOf('received')).toBeLessThan(order.indexOf('started'));
  });
});
