import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker, type Broker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeCoreApi } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function renderer(broker: Broker) {
  const w = startRenderer('core-access');
  workers.push(w);
  broker.connect(workerTransport(w));
  return commander(w);
}

function exposing(): Broker {
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi());
  broker.exposeGlobal('config', { theme: 'dark' });
  return broker;
}

describe('access control (renderer in a worker thread)', () => {
  it('denies require and getGlobal of anything not exposed', async () => {
    const run = await renderer(exposing());
    for (const name of ['fs', 'child_process', 'process', 'electron', 'api2', 'config']) {
      await expect(run('require', name)).rejects.toMatchObject({ code: 'E_DENIED' });
    }
    for (const name of ['process', 'globalThis', 'require', 'api', 'Function']) {
      await expect(run('getGlobal', name)).rejects.toMatchObject({ code: 'E_DENIED' });
    }
    await expect(run('syncRequire', 'fs')).rejects.toMatchObject({ code: 'E_DENIED' });
    expect(await run('require', 'api')).toBe('got it');
    expect(await run('getGlobal', 'config')).toBe('got it');
  });

  it('denies everything when main exposes nothing', async () => {
    const broker = createBroker();
    const w = startRenderer('core-access');
    workers.push(w);
    broker.connect(workerTransport(w));
    // The fixture requires "api" at start; with nothing exposed it dies with E_DENIED.
    const err = await new Promise<Error>((resolve) => w.once('error', resolve));
    expect(err).toMatchObject({ code: 'E_DENIED' });
  });

  const attacks = [
    'constructor', 'proto', 'prototype', 'toStringConstructor', 'toString', 'hasOwnProperty', 'valueOf',
    'call', 'bind', 'apply', 'functionConstructor', 'constructorConstructor', 'instanceConstructor', 'instanceProto',
    'defineGetter', 'leakProcess', 'leakFunction', 'leakGlobal', 'leakInside',
    'setProto', 'setConstructor', 'setMethod', 'setNewProperty',
    'syncConstructor', 'syncProto', 'syncLeakProcess', 'syncToStringConstructor',
  ];

  it('covers every attack the fixture knows', async () => {
    const run = await renderer(exposing());
    expect(new Set(await run('attackNames'))).toEqual(new Set(attacks));
  });

  it.each(attacks)('refuses the "%s" escape with E_DENIED', async (name) => {
    const broker = exposing();
    const run = await renderer(broker);
    const outcome = await run('attack', name);
    expect(outcome).toMatchObject({ escaped: false, code: 'E_DENIED' });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // Refusals are the caller's fault: they leave no refs or pending calls behind.
    const st = broker.stats();
    expect(st.pending).toBe(0);
  });

  it('gives a ref id from worker A, used by worker B, E_NO_OBJECT; B cannot release it either', async () => {
    const broker = exposing();
    const a = await renderer(broker);
    const b = await renderer(broker);
    await a('counterRef', 1);
    await a('counterRef', 2);
    const foreign = await a<number>('counterRef', 10);
    // B holds only its root ref to "api", so A's id means nothing in B's session.
    await expect(b('useRef', foreign)).rejects.toMatchObject({ code: 'E_NO_OBJECT' });
    const before = broker.stats();
    await b('releaseRef', foreign);
    expect(broker.stats().refs).toBe(before.refs);
    expect(await a('incKept', 2)).toBe(11);
    expect(await a('useRef', foreign)).toBe(12);
  });
});
