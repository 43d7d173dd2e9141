/**
 * Issue 16 items 2 and 3: thrown, rejected and errored values main cannot turn into text the
 * naive way. Over real worker renderers: every call answers a typed error, the actor is not
 * wedged, and main sees no unhandled rejection or uncaught exception.
 */
import type { Worker } from 'node:worker_threads';
import { Observable, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor/actor.js';
import { createBroker } from '../../src/entries/main.js';
import { until } from '../support/workers.js';
import { HOSTILE } from './hostile-values.js';
import { crashDetector, hostileRenderer, type Outcome, settle } from './support.js';

let workers: Worker[] = [];
let subs: Subscription[] = [];
let detector: ReturnType<typeof crashDetector> | undefined;
afterEach(async () => {
  for (const s of subs) s.unsubscribe();
  subs = [];
  detector?.dispose();
  detector = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function makeApi() {
  const streams: Record<string, Observable<never>> = {};
  HOSTILE.forEach(([, make], i) => (streams[`s${i}`] = new Observable<never>((s) => s.error(make()))));
  return {
    ok: () => 'ok',
    echoAsync: async (x: unknown) => x,
    throwIt: (i: number) => {
      throw HOSTILE[i]![1]();
    },
    rejectIt: async (i: number) => {
      await null;
      throw HOSTILE[i]![1]();
    },
    returnIt: (i: number) => ({ value: HOSTILE[i]![1]() }),
    getterThrows: (i: number) => ({ get value() { throw HOSTILE[i]![1](); } }),
    streams,
  };
}

describe('a renderer rejecting main\'s promise through its own then (item 2)', () => {
  it('leaves a restart-strategy actor running for every renderer, with inspect$ observed, and main never crashes', async () => {
    detector = crashDetector();
    const broker = createBroker();
    // The deadline ends calls whose thenable never settles (its reject was refused as bad input).
    const actor = broker.exposeModule('api', makeApi, { mailbox: { deadlineMs: 1000 }, supervision: { strategy: 'restart', maxRestarts: 100 } }) as Actor;
    const details: unknown[] = [];
    subs.push(broker.inspect$.subscribe((e) => details.push(e.detail)));
    const a = await hostileRenderer(broker, workers, 'a');
    const b = await hostileRenderer(broker, workers, 'b');
    for (const rejection of [{ $: 'toString0' }, { $: 'valueOf0' }, 'plain text', { nested: { $: 'toString0' } }]) {
      const r = await a.run<Outcome>('call', 'api', ['echoAsync'], [{ $: 'rejectThen', with: rejection }]);
      expect(r.ok).toBe(false);
      expect(r.error?.remoraCode).toMatch(/^E_/);
      await settle();
      await until(() => actor.state === 'running', 2000, `the actor running again (${actor.state}) after ${JSON.stringify(rejection)}: ${JSON.stringify(details)}`);
      expect(await b.run<Outcome>('call', 'api', ['ok'])).toEqual({ ok: true, value: 'ok' });
    }
    // The same rejection made in main (no decoder in between) is described without throwing.
    expect(await a.run<Outcome>('call', 'api', ['rejectIt'], [HOSTILE.findIndex(([n]) => n.startsWith('toString and valueOf'))])).toMatchObject({ ok: false });
    await settle();
    await until(() => actor.state === 'running', 2000, 'the actor running again');
    expect(await a.run<Outcome>('call', 'api', ['ok'])).toEqual({ ok: true, value: 'ok' });
    expect(details.every((d) => d === undefined || typeof d === 'string')).toBe(true);
    expect(detector.text()).toEqual([]);
  }, 20_000);
});

describe('hostile values thrown, rejected, returned and errored by main-side handlers (item 3)', () => {
  it('answers every call with a typed error, keeps the actor running and main up', async () => {
    detector = crashDetector();
    const broker = createBroker();
    const actor = broker.exposeModule('api', makeApi, { supervision: { strategy: 'restart', maxRestarts: 10_000 } }) as Actor;
    const details: unknown[] = [];
    subs.push(broker.inspect$.subscribe((e) => details.push(e.detail)));
    const r = await hostileRenderer(broker, workers);
    const bad: string[] = [];
    for (let i = 0; i < HOSTILE.length; i++) {
      const name = HOSTILE[i]![0];
      for (const method of ['throwIt', 'rejectIt', 'getterThrows']) {
        const o = await r.run<Outcome>('call', 'api', [method], [i]);
        if (o.ok || !/^E_/.test(o.error?.remoraCode ?? '')) bad.push(`${method} ${name}: ${JSON.stringify(o)}`);
      }
      const ret = await r.run<Outcome>('call', 'api', ['returnIt'], [i]);
      if (!ret.ok && !/^E_/.test(ret.error?.remoraCode ?? '')) bad.push(`returnIt ${name}: ${JSON.stringify(ret)}`);
      await r.run('subscribe', `s${i}`, 'api', ['streams', `s${i}`]);
    }
    await until(() => true);
    const events = async () => r.run<Array<{ key: string; kind: string; value?: Outcome['error'] }>>('events');
    const end = Date.now() + 5000;
    while ((await events()).length < HOSTILE.length && Date.now() < end) await settle(20);
    const evs = await events();
    HOSTILE.forEach(([name], i) => {
      const e = evs.find((x) => x.key === `s${i}`);
      if (!e || e.kind !== 'error' || !/^E_/.test(e.value?.remoraCode ?? '')) bad.push(`stream ${name}: ${JSON.stringify(e)}`);
    });
    expect(bad).toEqual([]);
    await settle();
    await until(() => actor.state === 'running', 2000, 'the actor running');
    expect(await r.run<Outcome>('call', 'api', ['ok'])).toEqual({ ok: true, value: 'ok' });
    expect(details.every((d) => d === undefined || typeof d === 'string')).toBe(true);
    expect(detector.text()).toEqual([]);
  });
});

describe('a pipelined call whose base fails with a hostile value', () => {
  it('answers the dependent call with a typed error for every hostile value, and main never crashes', async () => {
    detector = crashDetector();
    const broker = createBroker();
    broker.exposeModule('api', makeApi, { mailbox: { deadlineMs: 2000 } });
    const r = await hostileRenderer(broker, workers);
    for (let i = 0; i < HOSTILE.length; i++) {
      for (const base of ['throwIt', 'rejectIt']) {
        const out = await r.run<Outcome>('callPipelined', 'api', [base], [i], ['next']);
        expect(out.ok, `${base}(${HOSTILE[i]![0]}).next()`).toBe(false);
        expect(out.error?.remoraCode, `${base}(${HOSTILE[i]![0]}).next()`).toMatch(/^E_/);
      }
    }
    await settle();
    expect(detector.text()).toEqual([]);
  });
});
