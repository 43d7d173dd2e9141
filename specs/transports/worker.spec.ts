import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeApi } from '../fixtures/shared-api.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function setup() {
  const broker = createBroker();
  broker.exposeModule('api', makeApi);
  const w = startRenderer('basic');
  workers.push(w);
  broker.connect(workerTransport(w));
  await nextMessage(w, (m) => m.ready);
  const run = async (cmd: string, ...args: unknown[]) => {
    const reply = nextMessage(w, (m) => 'ok' in m);
    w.postMessage({ cmd, args });
    const r = await reply;
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.result;
  };
  return { broker, w, run };
}

describe('worker transport', () => {
  it('answers async calls from a renderer in a worker thread', async () => {
    const { run } = await setup();
    expect(await run('add', 2, 3)).toBe(5);
  });

  it('answers synchronous calls: the worker blocks, main does not', async () => {
    const { run } = await setup();
    expect(await run('syncAdd', 20, 22)).toBe(42);
    expect(await run('syncNew')).toBe(7);
  });

  it('pipelines a dependent call chain', async () => {
    const { run } = await setup();
    expect(await run('pipeline')).toBe(15);
  });

  it('delivers a thrown error with name, message, stack and code', async () => {
    const { run } = await setup();
    const e = await run('boom');
    expect(e).toMatchObject({ name: 'Error', message: 'kaboom', code: 'EBOOM', remoraCode: 'E_TARGET_THREW' });
    expect(e.stack).toContain('boom');
    expect(await run('syncBoom')).toMatchObject({ message: 'kaboom', code: 'EBOOM' });
  });

  it('gives a sync caller a real Promise for an async main function', async () => {
    const { run } = await setup();
    expect(await run('syncSlow')).toEqual({ isPromise: true, value: 42 });
  });

  it('ends the session when the worker is terminated', async () => {
    const { broker, w, run } = await setup();
    await run('add', 1, 1);
    expect(broker.stats().sessions).toBe(1);
    expect(broker.stats().refs).toBeGreaterThan(0);
    await w.terminate();
    await until(() => broker.stats().sessions === 0, 5000, 'session close');
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, pending: 0 });
  });
});
