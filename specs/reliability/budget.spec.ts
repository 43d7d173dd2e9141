/**
 * Issue 16's last paragraph: per-session limits add up across sessions, with no cap on
 * sessions or on what main holds for all renderers together. The broker's budget caps both;
 * hostile renderers in real worker threads run into it, and main keeps serving.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, type Broker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer, until } from '../support/workers.js';
import { measure } from './figures.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

type Counts = { counts: Record<string, number>; codes: Record<string, number>; answered: number; closed: boolean; bye?: { reason: string; code?: string } };

async function hostile(broker: Broker) {
  const w = startRenderer('hostile');
  workers.push(w);
  broker.connect(workerTransport(w));
  const run = await commander(w);
  return { w, run, counts: () => run('counts') as Promise<Counts> };
}

/** Instances of a class travel by reference: each one made is a ref. */
class Thing {
  made = true;
}

function service() {
  return {
    add: (a: number, b: number) => a + b,
    wait: () => new Promise<never>(() => undefined),
    make: () => new Thing(),
  };
}

describe('the broker-wide budget', () => {
  it('refuses a session past budget.maxSessions with E_TOO_MANY_SESSIONS and keeps serving the others', async () => {
    const broker = createBroker({ budget: { maxSessions: 3 } });
    broker.exposeModule('svc', service);
    const m = measure('budget: a 4th renderer against maxSessions 3');
    const first = await Promise.all([hostile(broker), hostile(broker), hostile(broker)]);
    for (const r of first) expect(await r.run('hello')).toBe(true);
    const late = await hostile(broker);
    expect(await late.run('hello')).toBe(false);
    const c = await late.counts();
    expect(c.bye).toMatchObject({ code: 'E_TOO_MANY_SESSIONS' });
    expect(c.bye!.reason).toContain('3 renderers');
    expect(broker.stats().sessions).toBe(3);
    await first[0]!.w.terminate();
    await until(() => broker.stats().sessions === 2, 5_000, 'a seat free');
    const next = await hostile(broker);
    expect(await next.run('hello')).toBe(true);
    m.stop();
  }, 60_000);

  it('caps calls in flight over all sessions with E_OVER_BUDGET and frees the budget when a session leaves', async () => {
    const broker = createBroker({ budget: { maxPending: 100 }, limits: { maxPending: 80 } });
    broker.exposeModule('svc', service, { mailbox: { maxConcurrent: 1_000 } });
    const a = await hostile(broker);
    const b = await hostile(broker);
    expect(await a.run('hello')).toBe(true);
    expect(await b.run('hello')).toBe(true);
    await a.run('calls', 80, 'wait');
    await until(() => broker.stats().pending === 80, 5_000, "a's calls");
    await b.run('calls', 30, 'wait');
    await b.run('answered', 1 + 10);
    const cb = await b.counts();
    console.log(`[figures] budget: pending ${broker.stats().pending} of 100 (a 80, b ${broker.stats().pending - 80}); b refused ${JSON.stringify(cb.codes)}`);
    expect(broker.stats().pending).toBe(100);
    expect(cb.codes.E_OVER_BUDGET).toBe(10);
    await a.w.terminate();
    await until(() => broker.stats().pending === 20, 5_000, 'budget given back');
    await b.run('calls', 5, 'wait');
    await until(() => broker.stats().pending === 25, 5_000, "b's new calls");
    expect(broker.pools.pending.used).toBe(25);
  }, 60_000);

  it('caps refs over all sessions with E_OVER_BUDGET and gives every unit back at session end', async () => {
    const broker = createBroker({ budget: { maxRefs: 50 } });
    broker.exposeModule('svc', service);
    const a = await hostile(broker);
    const b = await hostile(broker);
    expect(await a.run('hello')).toBe(true);
    expect(await b.run('hello')).toBe(true);
    await a.run('calls', 40, 'make');
    await a.run('answered', 41);
    await b.run('calls', 20, 'make');
    await b.run('answered', 21);
    expect(broker.stats().refs).toBe(50); // 2 roots + 48 things
    expect((await b.counts()).codes.E_OVER_BUDGET).toBe(12);
    await a.w.terminate();
    await b.w.terminate();
    await until(() => broker.stats().sessions === 0, 5_000, 'sessions end');
    expect(broker.pools.refs.used).toBe(0);
    expect(broker.pools.pending.used).toBe(0);
  }, 60_000);
});
