import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function setup(workerData?: unknown) {
  const broker = createBroker();
  broker.exposeModule('values', () => ({
    echo: (v: unknown) => v,
    nothing: (): void => undefined,
    /** Hold main's thread (a synchronous main function that takes long), then answer. */
    busy: (ms: number, v: unknown) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return v;
    },
  }));
  const w = startRenderer('worker-sync', workerData);
  workers.push(w);
  broker.connect(workerTransport(w));
  return commander(w);
}

describe('blocking calls over the worker transport', () => {
  it('returns every kind of value unchanged: primitives main writes into shared memory and values that travel by port', async () => {
    const run = await setup();
    const r = await run('echoAll');
    expect(r.same).toEqual(Array(17).fill(true));
    expect(r.nothing).toBeUndefined();
  });

  it('discards a late primitive reply to a timed-out call: the next calls get their own answers', async () => {
    const run = await setup({ syncTimeout: 100 });
    expect(await run('late', 99)).toEqual({ outcome: 'E_TIMEOUT', next: [11, 'twelve', 13] });
  });

  it('discards a late reply that travels by port just the same', async () => {
    const run = await setup({ syncTimeout: 100 });
    expect(await run('late', 'late text')).toEqual({ outcome: 'E_TIMEOUT', next: [11, 'twelve', 13] });
  });
});
