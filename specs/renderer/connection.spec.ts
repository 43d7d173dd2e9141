import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { DEFAULT_TIMEOUT } from '../../src/renderer/index.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCoreApi, makeProbe, type Probe } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function setup() {
  const probe: Probe = makeProbe();
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi(probe));
  const w = startRenderer('core-bus');
  workers.push(w);
  const session = broker.connect(workerTransport(w));
  return { broker, probe, session, w, run: await commander(w) };
}

describe('the bus (renderer in a worker thread)', () => {
  it('has a documented default deadline of 30 s', async () => {
    const { run } = await setup();
    expect(DEFAULT_TIMEOUT).toBe(30_000);
    expect(await run('defaultTimeout')).toBe(30_000);
  });

  it('fails a call that outlives its per-call timeout with E_TIMEOUT', async () => {
    const { run } = await setup();
    expect(await run('timeout', 100)).toMatchObject({ code: 'E_TIMEOUT' });
    expect(await run('fastCallWithTimeout')).toEqual({ ok: 3 });
    expect(await run('pendingCount')).toBe(0);
  });

  it('tells main when a call timed out: its callContext().signal aborts', async () => {
    const { run, probe, broker } = await setup();
    expect(await run('timeoutNotifiesMain', 100)).toMatchObject({ code: 'E_TIMEOUT' });
    await until(() => probe.signals[0]?.aborted === true, 5000, 'main-side abort');
    await until(() => broker.stats().pending === 0, 5000, 'main pending table empty');
  });

  it('rejects at once with E_ABORTED when the AbortSignal fires, and aborts main\'s callContext().signal', async () => {
    const { run, probe, broker } = await setup();
    await run('startAbortable');
    await until(() => probe.signals.length === 1, 5000, 'call to reach main');
    expect(probe.signals[0]!.aborted).toBe(false);
    expect(await run('abort')).toMatchObject({ code: 'E_ABORTED', message: expect.stringContaining('user gave up') });
    await until(() => probe.signals[0]!.aborted, 5000, 'main-side abort');
    expect(probe.signals[0]!.reason).toMatchObject({ code: 'E_ABORTED' });
    await until(() => broker.stats().pending === 0, 5000, 'main pending table empty');
    expect(await run('pendingCount')).toBe(0);
  });

  it('rejects with E_ABORTED a call aborted before it was sent, or with an already-aborted signal', async () => {
    const { run, broker } = await setup();
    expect(await run('abortBeforeSend')).toMatchObject({ code: 'E_ABORTED' });
    expect(await run('alreadyAborted')).toMatchObject({ code: 'E_ABORTED' });
    expect(broker.stats().pending).toBe(0);
  });

  it('rejects every pending call with E_CLOSED the moment main closes the connection', async () => {
    const { run, broker } = await setup();
    const n = await run<number>('startHanging', 3);
    await until(() => broker.stats().pending >= 4, 5000, 'calls to reach main');
    broker.close();
    const outcomes = await run<Array<{ code?: string }>>('heldOutcomes');
    expect(outcomes).toHaveLength(n);
    for (const o of outcomes) expect(o).toMatchObject({ code: 'E_CLOSED' });
    expect(await run('pendingCount')).toBe(0);
    expect(broker.stats()).toMatchObject({ sessions: 0, pending: 0, refs: 0 });
  });

  it('rejects every pending call with E_CLOSED at once when the renderer closes, and refuses new ones', async () => {
    const { run, broker } = await setup();
    const r = await run('closeWithPending');
    expect(r.pending).toBe(0);
    expect(r.outcomes).toHaveLength(3);
    for (const o of r.outcomes) expect(o).toMatchObject({ code: 'E_CLOSED' });
    expect(await run('callAfterClose')).toMatchObject({ code: 'E_CLOSED' });
    await until(() => broker.stats().sessions === 0, 5000, 'session closed in main');
    expect(broker.stats()).toMatchObject({ pending: 0, refs: 0 });
  });
});
