import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { Worker } from 'node:worker_threads';
import { createBroker, type SessionStats } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCalc } from './harness.js';
import { makeQueue, makeWork, type Work } from './kill-api.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';

const KILLS = 100;

let workers: Worker[] = [];
let timers: ReturnType<typeof setInterval>[] = [];
afterEach(async () => {
  for (const t of timers) clearInterval(t);
  timers = [];
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

describe('killed renderers', () => {
  it(`terminating a worker ${KILLS} times mid sync calls, async calls and open streams returns main's tables to baseline each time, while another worker completes all its calls`, async () => {
    const broker = createBroker();
    const tick$ = new Subject<number>();
    const counters = { ticks: 0 };
    const workActor = broker.exposeModule('work', () => makeWork(tick$, counters));
    const queueActor = broker.exposeModule('queue', makeQueue, { mailbox: { mode: 'serial' } });
    broker.exposeModule('calc', makeCalc);
    let n = 0;
    timers.push(setInterval(() => tick$.next(n++), 2));

    // The survivor: another worker calling all the while.
    const good = startRenderer('reliability-good');
    workers.push(good);
    const goodSession = broker.connect(workerTransport(good));
    await nextMessage(good, (m) => m.ready);
    const goodReport = nextMessage(good, (m) => m.report, 300_000);
    good.postMessage({ cmd: 'run', untilStop: true });

    const listeners = (): number => (workActor.instance as Work | undefined)?.emitter.listenerCount('tick') ?? 0;
    const doomedTables = (): Record<string, number> => {
      // What main holds beyond the survivor's session (computed in one synchronous step).
      const all = broker.stats();
      const good = goodSession.stats();
      const out: Record<string, number> = { sessions: all.sessions - 1 };
      for (const k of Object.keys(good) as (keyof SessionStats)[]) out[k] = all[k] - good[k];
      return out;
    };
    const zero = { sessions: 0, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0 };

    let midSync = 0;
    for (let i = 0; i < KILLS; i++) {
      const w = startRenderer('reliability-kill');
      workers.push(w);
      const session = broker.connect(workerTransport(w));
      await nextMessage(w, (m) => m.blocking, 30_000);
      // While it lives it holds refs, pending calls, streams and a listener in main.
      expect(session.stats().subscriptions).toBe(2);
      expect(listeners()).toBe(2);
      await new Promise((r) => setTimeout(r, i % 15));
      if (session.stats().pending > 0) midSync++;
      await w.terminate();
      workers = workers.filter((x) => x !== w);
      await until(() => session.closed, 10_000, `session ${i} to close`);
      expect(['exit', 'closed']).toContain(session.closeReason?.kind);
      const left = doomedTables();
      for (const k of Object.keys(left)) expect(left[k], `${k} after kill ${i}`).toBe(0);
      expect(listeners()).toBe(0);
      expect(counters.ticks).toBe(0);
    }

    good.postMessage({ cmd: 'stop' });
    const report = await goodReport;
    console.info(`[killed-renderers] ${KILLS} workers killed (${midSync} with calls in flight in main at the kill); the survivor made ${report.calls} checked calls meanwhile, async latency p50 ${report.latency.p50.toFixed(2)} ms, p99 ${report.latency.p99.toFixed(2)} ms`);
    expect(report).toMatchObject({ wrong: [], errors: [] });
    expect(report.calls).toBeGreaterThan(0);
    expect(midSync).toBeGreaterThan(0);

    // Work the dead renderers left in the actors' mailboxes drains; nothing is stuck.
    await until(() => queueActor.queued === 0 && queueActor.running === 0 && workActor.running === 0, 10_000, 'actors to drain');
    await good.terminate();
    await until(() => broker.stats().sessions === 0, 10_000, 'the survivor to close');
    expect(broker.stats()).toMatchObject(zero);
  }, 300_000);
});
