/**
 * Property-based fuzz of main-side values (issue 16, "What to build"): generated hostile
 * values are returned, thrown, rejected, resolved and errored (through Observables) by
 * main-side handlers and called by a real worker renderer. Whatever is generated, main never
 * crashes (no unhandled rejection, no uncaught exception), every call answers a value or a
 * typed error, every stream ends with a value or a typed error, and the actor stays running.
 */
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor/actor.js';
import { createBroker } from '../../src/entries/main.js';
import { HOSTILE } from './hostile-values.js';
import { crashDetector, hostileRenderer, type Outcome, settle } from './support.js';

/** A recipe for a fresh hostile value (values are built anew for each use). */
type Make = () => unknown;

const boom = (v: Make) => () => {
  throw v();
};

/** Hostile values, built from the example list, primitives and wrappers of each other. */
const hostile: fc.Arbitrary<Make> = fc.letrec<{ v: Make }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...HOSTILE.map(([, make]) => make)),
    fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined), fc.constant(null), fc.bigInt()).map((p) => () => p),
    fc.constant(() => Symbol('s')),
    fc.integer({ min: 1, max: 4 }).map((mb) => () => 'x'.repeat(mb << 20)),
    tie('v').map((m) => () => ({ inner: m() })),
    tie('v').map((m) => () => [m(), m()]),
    tie('v').map((m) => () => {
      const o: Record<string, unknown> = { v: m() };
      o.self = o;
      return o;
    }),
    tie('v').map((m) => () => new Error('with cause', { cause: m() })),
    fc.tuple(fc.constantFrom('name', 'message', 'stack', 'cause', 'code', 'extra'), tie('v')).map(([key, m]) => () => {
      const e = new Error('getter');
      Object.defineProperty(e, key, { get: boom(m), enumerable: key === 'extra' || key === 'cause' });
      return e;
    }),
    fc.tuple(fc.constantFrom('name', 'message', 'code'), tie('v')).map(([key, m]) => () => Object.assign(new Error('field'), { [key]: m() })),
    tie('v').map((m) => () => ({ [Symbol.toPrimitive]: boom(m), toString: boom(m), valueOf: boom(m) })),
    tie('v').map((m) => () => new Proxy({}, { get: boom(m), ownKeys: boom(m), getPrototypeOf: boom(m), getOwnPropertyDescriptor: boom(m) })),
    tie('v').map((m) => () => new Proxy(new Error('p'), { get: boom(m), getPrototypeOf: boom(m) })),
    tie('v').map((m) => () => ({ get value() { throw m(); } })),
    tie('v').map((m) => () => Object.assign(Object.create(null) as object, { v: m() })),
  ),
})).v;

const MODES = ['throw', 'reject', 'return', 'resolve', 'observableError', 'observableNext'] as const;
type Mode = (typeof MODES)[number];

const cases = new Map<number, { mode: Mode; make: Make }>();
let nextCase = 0;

const api = {
  ok: () => 'ok',
  run: (id: number): unknown => {
    const c = cases.get(id)!;
    switch (c.mode) {
      case 'throw':
        throw c.make();
      case 'reject':
        return Promise.resolve().then(() => Promise.reject(c.make()));
      case 'return':
        return c.make();
      case 'resolve':
        return Promise.resolve().then(() => c.make());
      default:
        return undefined;
    }
  },
  stream: (id: number) => {
    const c = cases.get(id)!;
    return new Observable((s) => {
      if (c.mode === 'observableError') s.error(c.make());
      else {
        s.next(c.make());
        s.complete();
      }
    });
  },
};

let workers: Worker[] = [];
let detector: ReturnType<typeof crashDetector>;
beforeAll(() => {
  detector = crashDetector();
});
afterAll(async () => {
  detector.dispose();
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const typed = (o: Outcome | undefined): boolean => !!o && (o.ok || /^E_/.test(o.error?.remoraCode ?? ''));

describe('hostile values from main-side handlers, over a worker renderer', () => {
  it('never crash main; every call and stream answers a value or a typed error', async () => {
    const broker = createBroker();
    const actor = broker.exposeModule('api', () => api, { supervision: { strategy: 'restart', maxRestarts: 1_000_000, withinMs: 1 } }) as Actor;
    const inspected: unknown[] = [];
    const sub = broker.inspect$.subscribe((e) => inspected.push(e.detail));
    const r = await hostileRenderer(broker, workers);
    let streams = 0;
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom(...MODES), async (make, mode) => {
        const id = nextCase++;
        cases.set(id, { mode, make });
        try {
          if (mode === 'observableError' || mode === 'observableNext') {
            const key = `k${id}`;
            const o = await r.run<Outcome>('subscribeReturned', key, 'api', ['stream'], [id]);
            if (!o.ok) return typed(o);
            streams++;
            let ev: { key: string; kind: string; value?: Outcome['error'] } | undefined;
            const end = Date.now() + 5000;
            while (!(ev = (await r.run<Array<{ key: string; kind: string; value?: Outcome['error'] }>>('events')).find((e) => e.key === key && e.kind !== 'next')) && Date.now() < end) await settle(5);
            if (!ev) return false;
            return ev.kind === 'complete' || /^E_/.test(ev.value?.remoraCode ?? '');
          }
          return typed(await r.run<Outcome>('call', 'api', ['run'], [id]));
        } finally {
          cases.delete(id);
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
    await settle(100);
    sub.unsubscribe();
    expect(streams).toBeGreaterThan(0);
    expect(actor.state).toBe('running');
    expect(await r.run<Outcome>('call', 'api', ['ok'])).toEqual({ ok: true, value: 'ok' });
    expect(inspected.every((d) => d === undefined || typeof d === 'string')).toBe(true);
    expect(detector.text()).toEqual([]);
  }, 120_000);
});
