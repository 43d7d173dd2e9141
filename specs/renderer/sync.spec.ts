import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import type { Transport } from '../../src/transport.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { workerTransport } from '../../src/transports/worker.js';
import { type CoreApi, makeCoreApi } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer, until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

function brokerWithApi() {
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi());
  broker.exposeModule('serial', () => makeCoreApi(), { mailbox: { mode: 'serial' } });
  return broker;
}

async function setup(workerData?: unknown) {
  const broker = brokerWithApi();
  const w = startRenderer('core-sync', workerData);
  workers.push(w);
  broker.connect(workerTransport(w));
  return { broker, run: await commander(w) };
}

describe('sync compatibility handles (renderer in a worker thread)', () => {
  it('returns the result of remote.require(x).fn() synchronously: nothing else ran meanwhile', async () => {
    const { run } = await setup();
    expect(await run('call')).toEqual({ value: 5, ticked: false });
    expect(await run('chainedRequire')).toEqual({ value: 5, ticked: false });
  });

  it('reads and writes remote properties', async () => {
    const { run } = await setup();
    expect(await run('readWrite')).toEqual({
      before: '1.0', after: '3.0', inc: 11, n: 11, double: 22, settings: { theme: 'light', nested: { level: 1 } },
    });
  });

  it('constructs a remote class with new, and calls its statics', async () => {
    const { run } = await setup();
    expect(await run('construct')).toEqual({ value: { inc: 7, zero: 0 }, ticked: false });
  });

  it('throws the main-side error synchronously, with name, message, code, own props and stack', async () => {
    const { run } = await setup();
    const e = await run('thrown');
    expect(e).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'ERANGE', remoraCode: 'E_TARGET_THREW', detail: 42 });
    expect(e.stack).toContain('boom');
    expect(await run('denied')).toMatchObject({ code: 'E_DENIED' });
  });

  it('gives a real Promise for a main function that returns one', async () => {
    const { run } = await setup();
    expect(await run('promise')).toEqual({ isPromise: true, value: 42 });
  });

  it('converts between sync and async flavours of the same ref', async () => {
    const { run } = await setup();
    expect(await run('flavours')).toEqual({ async: 2, sameSync: true, sync: 4 });
  });

  it('fails a synchronous call main cannot answer in time with E_TIMEOUT, and keeps the connection usable', async () => {
    const { run } = await setup({ syncTimeout: 300 });
    const r = await run('timeout');
    expect(r.outcome).toMatchObject({ code: 'E_TIMEOUT' });
    expect(r.after).toBe(3);
  });

  it('wakes a renderer blocked in a sync call with E_CLOSED when main closes the connection', async () => {
    const { broker, run } = await setup();
    const blocked = run('blockUntilClosed');
    await until(() => broker.stats().pending >= 2, 5000, 'the hanging call and the blocked sync call to reach main');
    broker.close();
    expect(await blocked).toMatchObject({ code: 'E_CLOSED' });
  });

  it('fails sync calls after the connection closed with E_CLOSED', async () => {
    const { broker, run } = await setup();
    const r = await run('afterClose');
    expect(r.call).toMatchObject({ code: 'E_CLOSED' });
    expect(r.require).toMatchObject({ code: 'E_CLOSED' });
    await until(() => broker.stats().sessions === 0, 5000, 'session closed');
  });
});

describe('sync handles on a transport that cannot block', () => {
  it('fails with E_SYNC_UNSUPPORTED on a memory transport when main answers asynchronously', async () => {
    const broker = brokerWithApi();
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const client = connect(renderer);
    const serial = client.remote.require<CoreApi>('serial');
    expect(serial.add(1, 2)).toBe(3); // answered synchronously while the mailbox is idle
    const asyncSerial = await client.require<CoreApi>('serial');
    const slow = asyncSerial.slow(1, 20); // an async handler now holds the serial mailbox
    await new Promise((r) => setTimeout(r, 0));
    expect(() => serial.add(1, 2)).toThrow(expect.objectContaining({ code: 'E_SYNC_UNSUPPORTED' }));
    expect(await slow).toBe(2);
  });

  it('fails with E_SYNC_UNSUPPORTED on a transport without sendSync', async () => {
    const broker = brokerWithApi();
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const asyncOnly: Transport = {
      send: (m) => renderer.send(m),
      messages$: renderer.messages$,
      closed$: renderer.closed$,
      close: (r) => renderer.close(r),
    };
    const client = connect(asyncOnly);
    expect(() => client.remote.require('api')).toThrow(expect.objectContaining({ code: 'E_SYNC_UNSUPPORTED' }));
    expect(await (await client.require<CoreApi>('api')).add(1, 2)).toBe(3);
  });
});
