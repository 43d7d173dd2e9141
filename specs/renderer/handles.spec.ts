import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { tap } from 'rxjs';
import { createBroker } from '../../src/entries/main.js';
import type { PendingArg, Remote, RemoteCall, RemoteProperty, RemotePromise, SyncRemote } from '../../src/renderer/types.js';
import type { Transport } from '../../src/transport.js';
import { workerTransport } from '../../src/transports/worker.js';
import { type CoreApi, type Counter, makeCoreApi } from '../fixtures/core-api.js';
import { commander } from '../fixtures/core-harness.js';
import { startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const REQUESTS = new Set(['get', 'set', 'apply', 'new', 'require', 'global', 'current']);

/** Main's end of the worker transport, logging every message the renderer sends. */
function logging(t: Transport): { transport: Transport; log: unknown[] } {
  const log: unknown[] = [];
  const transport: Transport = {
    send: (m) => t.send(m),
    messages$: t.messages$.pipe(tap((m) => log.push(m))),
    closed$: t.closed$,
    close: (r) => t.close(r),
    ...(t.replySync ? { replySync: (m: unknown) => t.replySync!(m) } : {}),
  };
  return { transport, log };
}

/** The request frames in one message. */
function requestsIn(m: unknown): Array<Record<string, unknown>> {
  const f = m as { t?: string; f?: unknown[] };
  const frames = (f.t === 'batch' ? f.f : [f]) as Array<Record<string, unknown>>;
  return frames.filter((x) => REQUESTS.has(String(x.t)));
}

async function setup() {
  const broker = createBroker();
  broker.exposeModule('api', () => makeCoreApi());
  const w = startRenderer('core-handles');
  workers.push(w);
  const { transport, log } = logging(workerTransport(w));
  broker.connect(transport);
  const run = await commander(w);
  /** Run a command and return the messages carrying requests that it sent. */
  const sent = async (cmd: string): Promise<{ result: unknown; messages: Array<Array<Record<string, unknown>>> }> => {
    const from = log.length;
    const result = await run(cmd);
    return { result, messages: log.slice(from).map(requestsIn).filter((r) => r.length > 0) };
  };
  return { broker, run, sent };
}

describe('async handles (renderer in a worker thread)', () => {
  it('calls a remote method and resolves with its result', async () => {
    const { run } = await setup();
    expect(await run('add', 2, 40)).toBe(42);
  });

  it('reads properties, nested properties, and plain data as a copy', async () => {
    const { run } = await setup();
    expect(await run('props')).toEqual({ version: '1.0', level: 1, settings: { theme: 'light', nested: { level: 1 } } });
  });

  it('constructs a remote class with new and returns a handle to the instance', async () => {
    const { run } = await setup();
    expect(await run('construct', 5)).toEqual({ inc: 7, n: 7, double: 14 });
    expect(await run('constructPipelined', 1)).toBe(6);
    expect(await run('staticMethod')).toBe(3);
  });

  it('assigns remote properties with setRemote', async () => {
    const { run } = await setup();
    expect(await run('set')).toEqual({ theme: 'dark', n: 42 });
  });

  it('pipelines a dependent chain: await api.chain().next().next().depth() sends ONE message', async () => {
    const { sent } = await setup();
    const { result, messages } = await sent('pipeline');
    expect(result).toBe(3);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.map((f) => f.t)).toEqual(['apply', 'apply', 'apply', 'apply']);
    // Each call after the first targets the pending result of the one before it.
    expect(messages[0]!.slice(1).map((f) => f.on)).toEqual(messages[0]!.slice(0, 3).map((f) => f.id));
  });

  it('pipelines through a method that settles asynchronously in main', async () => {
    const { sent } = await setup();
    const { result, messages } = await sent('pipelineThroughAsync');
    expect(result).toBe(12);
    expect(messages).toHaveLength(1);
  });

  it('costs one round trip per await without pipelining (the contrast)', async () => {
    const { sent } = await setup();
    const { result, messages } = await sent('sequential');
    expect(result).toBe(3);
    expect(messages).toHaveLength(4);
  });

  it('fails every dependent of a failed pipelined call with the cause', async () => {
    const { run } = await setup();
    const r = await run('pipelineFailure');
    expect(r.code).toMatch(/^E_/);
    expect(r.code).not.toBe('E_TIMEOUT');
  });

  it('gives a root handle that is not thenable, and pending values that are', async () => {
    const { run } = await setup();
    expect(await run('rootNotThenable')).toEqual({ then: 'undefined', same: true, apiThen: 'undefined', pendingThen: 'function' });
  });

  it('gives the same handle for the same remote object, and a new one after dispose', async () => {
    const { run } = await setup();
    expect(await run('identity')).toEqual({ sameShared: true, echoed: true, sameRoot: true, distinct: true });
    expect(await run('identityAfterRelease')).toEqual({ fresh: true, n: 100, disposedCode: 'E_RELEASED' });
  });

  it('sends a handle back to main as the object itself', async () => {
    const { run } = await setup();
    expect(await run('passHandle')).toEqual({ same: true, n: 6 });
  });

  it('delivers a thrown error with name, message, stack, code and own properties', async () => {
    const { run } = await setup();
    const e = await run('boom');
    expect(e).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'ERANGE', remoraCode: 'E_TARGET_THREW', detail: 42 });
    expect(e.stack).toContain('boom');
    expect(e.stack).toContain('core-api');
  });

  it('copies rich data both ways', async () => {
    const { run } = await setup();
    expect(await run('data')).toEqual({ when: true, big: 'bigint', hasHole: true, map: true });
  });
});

describe('handle types (compile-time)', () => {
  it('accepts a pending remote value as an argument (pipelined), but not a native promise', () => {
    const typed = async (api: Remote<CoreApi>): Promise<number> => {
      const n: number = await api.add(api.add(1, 2), 3);
      // @ts-expect-error a native promise is not a remote value: main could not use it
      await api.add(Promise.resolve(1), 3);
      return n;
    };
    expect(typeof typed).toBe('function');
  });

  it('types a method call as RemoteCall of its result', () => {
    expectTypeOf<ReturnType<Remote<CoreApi>['add']>>().toEqualTypeOf<RemoteCall<number>>();
    // A pending remote number is accepted too: it is pipelined into the call.
    expectTypeOf<Parameters<Remote<CoreApi>['add']>>().toEqualTypeOf<[number | PendingArg<number>, number | PendingArg<number>]>();
    expectTypeOf<Awaited<ReturnType<Remote<CoreApi>['add']>>>().toEqualTypeOf<number>();
    expectTypeOf<Awaited<ReturnType<Remote<CoreApi>['slow']>>>().toEqualTypeOf<number>();
  });

  it('types awaited data as a copy and class instances as Remote handles', () => {
    expectTypeOf<Awaited<Remote<CoreApi>['settings']>>().toEqualTypeOf<{ theme: string; nested: { level: number } }>();
    expectTypeOf<Awaited<Remote<CoreApi>['version']>>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<Remote<CoreApi>['makeCounter']>>>().toEqualTypeOf<Remote<Counter>>();
    expectTypeOf<Awaited<ReturnType<Remote<CoreApi>['makeMany']>>>().toEqualTypeOf<Remote<Counter>[]>();
    expectTypeOf<RemoteProperty<Date>>().toEqualTypeOf<RemotePromise<Date>>();
  });

  it('types new on a remote class as a pipelinable call yielding a Remote instance', () => {
    type Ctor = Remote<CoreApi>['Counter'];
    expectTypeOf<Ctor>().toBeConstructibleWith(1);
    expectTypeOf<Awaited<InstanceType<Ctor>>>().toEqualTypeOf<Remote<Counter>>();
    expectTypeOf<Awaited<ReturnType<InstanceType<Ctor>['inc']>>>().toEqualTypeOf<number>();
    expectTypeOf<ReturnType<Ctor['zero']>>().toEqualTypeOf<RemoteCall<Counter>>();
    expectTypeOf<Ctor>().not.toHaveProperty('prototype');
  });

  it('types pipelined chains and keeps root handles non-thenable', () => {
    expectTypeOf<Awaited<ReturnType<ReturnType<ReturnType<Remote<CoreApi>['chain']>['next']>['depth']>>>().toEqualTypeOf<number>();
    expectTypeOf<Remote<CoreApi>>().not.toHaveProperty('then');
    expectTypeOf<Remote<Counter>>().toHaveProperty(Symbol.dispose);
  });

  it('types sync handles as returning values directly', () => {
    expectTypeOf<ReturnType<SyncRemote<CoreApi>['add']>>().toEqualTypeOf<number>();
    expectTypeOf<SyncRemote<CoreApi>['version']>().toEqualTypeOf<string>();
    expectTypeOf<ReturnType<SyncRemote<CoreApi>['makeCounter']>>().toEqualTypeOf<SyncRemote<Counter>>();
    expectTypeOf<ReturnType<SyncRemote<CoreApi>['slow']>>().toEqualTypeOf<Promise<number>>();
  });
});
