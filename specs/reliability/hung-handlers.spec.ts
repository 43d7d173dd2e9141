import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { connect, withOptions } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCalc } from './harness.js';
import { type Hang, makeHang } from './kill-api.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function codeOf(p: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { remoraCode?: string }).remoraCode;
  }
}

describe('hung and slow handlers', () => {
  it('a call to a handler that never settles fails with E_TIMEOUT at the renderer deadline, and main ends it at the actor deadline', async () => {
    const counters = { aborted: 0 };
    const broker = createBroker();
    const hangActor = broker.exposeModule('hang', () => makeHang(counters), { mailbox: { deadlineMs: 150 } });
    const pair = createMemoryPair();
    const session = broker.connect(pair.main);
    const client = connect(pair.renderer);
    const hang = await client.require<Hang>('hang');

    // The renderer gives up first: E_TIMEOUT, and main's handler sees its signal abort.
    expect(await codeOf(withOptions(hang, { timeout: 30 }).forever())).toBe('E_TIMEOUT');
    await until(() => counters.aborted === 1, 5000, 'the cancel to reach main');
    // Main gives up first: the actor's deadline answers E_TIMEOUT.
    expect(await codeOf(withOptions(hang, { timeout: 10_000 }).forever())).toBe('E_TIMEOUT');
    await until(() => session.stats().pending === 0 && hangActor.running === 0, 5000, 'main to drop the hung calls');
    // A slow handler within both deadlines still answers.
    expect(await hang.slow(20)).toBe(20);
    client.close();
  });

  it('hung handlers without a deadline cannot pile up: main holds at most maxPending per session and lets go of each call its renderer cancels', async () => {
    const counters = { aborted: 0 };
    const broker = createBroker({ limits: { maxPending: 50 } });
    broker.exposeModule('hang', () => makeHang(counters));
    const pair = createMemoryPair();
    const session = broker.connect(pair.main);
    const client = connect(pair.renderer, { timeout: 100 });
    const hang = await client.require<Hang>('hang');
    const codes = await Promise.all(Array.from({ length: 200 }, () => codeOf(hang.forever())));
    expect(codes.filter((c) => c === 'E_TIMEOUT')).toHaveLength(50);
    expect(codes.filter((c) => c === 'E_TOO_MANY_PENDING')).toHaveLength(150);
    expect(session.stats().pending).toBeLessThanOrEqual(50);
    await until(() => counters.aborted === 50, 5000, 'the cancels to reach main');
    // A cancelled call no longer holds anything in main, even while its handler never settles.
    await until(() => session.stats().pending === 0, 5000, 'cancelled calls to leave the pending table');
    client.close();
    await until(() => session.closed, 5000, 'the session to close');
    expect(broker.stats()).toMatchObject({ sessions: 0, pending: 0, refs: 0 });
  });

  it('main stays responsive to another session while a renderer floods it with hung and slow calls', async () => {
    const broker = createBroker({ limits: { maxPending: 1_000 } });
    const hangActor = broker.exposeModule('hang', () => makeHang(), { mailbox: { deadlineMs: 1_000 } });
    broker.exposeModule('calc', makeCalc);
    const good = startRenderer('reliability-good');
    const flood = startRenderer('reliability-hang', { timeout: 200 });
    workers.push(good, flood);
    broker.connect(workerTransport(good));
    const floodSession = broker.connect(workerTransport(flood));
    await Promise.all([nextMessage(good, (m) => m.ready), nextMessage(flood, (m) => m.ready)]);

    const run = async (): Promise<{ calls: number; wrong: string[]; errors: string[]; latency: { p50: number; p99: number; max: number } }> => {
      const report = nextMessage(good, (m) => m.report, 120_000);
      good.postMessage({ cmd: 'run', iterations: 300 });
      return report;
    };
    const quiet = await run();
    const floodReport = nextMessage(flood, (m) => m.report, 120_000);
    flood.postMessage({ cmd: 'flood', count: 400, slowMs: 300 });
    await nextMessage(flood, (m) => m.flooding);
    const busy = await run();
    const tally = (await floodReport).tally as Record<string, number>;

    console.info(
      `[hung-handlers] another session's async call latency: quiet p50 ${quiet.latency.p50.toFixed(2)} ms / p99 ${quiet.latency.p99.toFixed(2)} ms; ` +
        `during a flood of 400 hung + 400 slow calls p50 ${busy.latency.p50.toFixed(2)} ms / p99 ${busy.latency.p99.toFixed(2)} ms / max ${busy.latency.max.toFixed(2)} ms; flood outcomes ${JSON.stringify(tally)}`,
    );
    for (const r of [quiet, busy]) {
      expect(r.wrong).toEqual([]);
      expect(r.errors).toEqual([]);
    }
    expect(tally.E_TIMEOUT).toBeGreaterThanOrEqual(400);
    expect(tally.untyped).toBeUndefined();
    // The actor's deadline ends every hung call in main: nothing stays behind.
    await until(() => floodSession.stats().pending === 0 && hangActor.running === 0 && hangActor.queued === 0, 10_000, 'hung calls to end in main');
  }, 120_000);
});
