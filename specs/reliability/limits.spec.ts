import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { connect, fromRemoteEvent, release } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { type Calc, failError, makeCalc, makePlayground, type Playground, rawTransport, tick } from './harness.js';
import { collectGarbage, until } from '../support/workers.js';

/** A broker with `limits`, the playground, calc, a hanging module and a raw feed, plus one real client. */
async function setup(limits: BrokerOptions['limits']) {
  const broker = createBroker({ limits });
  const feed = new Subject<number>();
  broker.exposeModule('api', makePlayground);
  broker.exposeModule('calc', makeCalc);
  broker.exposeModule('hang', () => ({ forever: () => new Promise<never>(() => undefined) }));
  broker.exposeModule('feed', () => ({ values: feed }));
  const pair = createMemoryPair();
  const session = broker.connect(pair.main);
  const client = connect(pair.renderer, { timeout: 2_000 });
  const calc = await client.require<Calc>('calc');
  return { broker, session, client, calc, feed };
}

async function codeOf(p: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { remoraCode?: string }).remoraCode;
  }
}

function nest(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('limits', () => {
  it('maxDepth: refuses a value nested deeper than the limit with E_TOO_DEEP, accepts one within it', async () => {
    const { calc, client } = await setup({ maxDepth: 8 });
    expect(await calc.echo(nest(5))).toEqual(nest(5));
    expect(await codeOf(calc.echo(nest(20)))).toBe('E_TOO_DEEP');
    expect(await calc.add(1, 2)).toBe(3);
    client.close();
  });

  it('maxFrameBytes: refuses a frame whose values exceed the limit with E_FRAME_TOO_LARGE', async () => {
    const { calc, client } = await setup({ maxFrameBytes: 1024 });
    expect(await calc.echo('x'.repeat(500))).toHaveLength(500);
    expect(await codeOf(calc.echo('x'.repeat(2000)))).toBe('E_FRAME_TOO_LARGE');
    expect(await codeOf(calc.echo(new Uint8Array(4096)))).toBe('E_FRAME_TOO_LARGE');
    expect(await codeOf(calc.echo(new Array(200).fill('abcdefgh')))).toBe('E_FRAME_TOO_LARGE');
    expect(await calc.add(1, 2)).toBe(3);
    client.close();
  });

  it('maxRefs: refuses a new ref past the limit with E_TOO_MANY_REFS, and has room again after a release', async () => {
    const { calc, client, session } = await setup({ maxRefs: 4 });
    const held = [await calc.makeCounter(1), await calc.makeCounter(2), await calc.makeCounter(3)];
    expect(session.stats().refs).toBe(4); // calc itself + three counters
    expect(await codeOf(calc.makeCounter(4))).toBe('E_TOO_MANY_REFS');
    expect(session.stats().refs).toBe(4);
    expect(await held[0]!.inc(1)).toBe(2);
    release(held[0]);
    await until(() => session.stats().refs === 3, 5000, 'the release to reach main');
    const again = await calc.makeCounter(5);
    expect(await again.inc(1)).toBe(6);
    client.close();
  });

  it('maxPending: refuses calls past the limit with E_TOO_MANY_PENDING while others hang, and main keeps at most the limit', async () => {
    const { client, session, calc } = await setup({ maxPending: 4 });
    const hang = await client.require<{ forever(): Promise<never> }>('hang');
    const calls = Array.from({ length: 7 }, () => codeOf(hang.forever()));
    await until(() => session.stats().pending === 4, 5000, 'four hung calls in main');
    // The hung calls hold main's slots, so even a quick call is refused until they end...
    expect(await codeOf(calc.add(1, 1))).toBe('E_TOO_MANY_PENDING');
    expect(session.stats().pending).toBe(4);
    // ...and the renderer going away ends them.
    client.close();
    const codes = await Promise.all(calls);
    expect(codes.filter((c) => c === 'E_TOO_MANY_PENDING')).toHaveLength(3);
    expect(codes.filter((c) => c === 'E_CLOSED')).toHaveLength(4);
    await tick();
    expect(session.stats().pending).toBe(0);
  });

  it('maxPending also bounds pipes: announced pipelined dependents that never arrive are dropped with their message', async () => {
    const broker = createBroker({ limits: { maxPending: 8 } });
    broker.exposeModule('calc', makeCalc);
    const raw = rawTransport();
    const session = broker.connect(raw.transport);
    raw.inject({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    raw.inject({ t: 'require', id: 1, name: 'calc' });
    for (let i = 0; i < 50; i++) raw.inject({ t: 'get', id: 100 + i, ref: 1, path: ['add'], k: 999_999 });
    await tick();
    expect(session.stats().pipes).toBe(0);
    expect(raw.sent.filter((f) => f.t === 'ok')).toHaveLength(51);
    // A real pipeline in one message still works.
    raw.inject({ t: 'batch', f: [{ t: 'apply', id: 200, ref: 1, path: ['makeCounter'], args: [1], k: 1 }, { t: 'apply', id: 201, on: 200, path: ['inc'], args: [2] }] });
    await tick();
    expect(raw.sent.find((f) => f.id === 201)).toMatchObject({ t: 'ok', v: 3 });
    expect(session.stats().pipes).toBe(0);
  });

  it('maxCallbacks: refuses a new renderer callback or listener past the limit with E_TOO_MANY_REFS, and has room again once main lets one go', async () => {
    const { client, session } = await setup({ maxCallbacks: 3 });
    const api = await client.require<Playground>('api');
    const emitter = await api.emitter;
    const fns = [() => 1, () => 2, () => 3, () => 4];
    for (const f of fns.slice(0, 3)) await emitter.on('x', f);
    expect(session.stats().callbacks).toBe(3);
    expect(await codeOf(emitter.on('x', fns[3]!))).toBe('E_TOO_MANY_REFS');
    // A callback main already holds is not a new one...
    expect(await codeOf(api.callMeBack(fns[0]!, 1))).toBe('ok');
    // ...but adding it as one more listener is: listeners count against the same limit.
    expect(await codeOf(emitter.on('y', fns[0]!))).toBe('E_TOO_MANY_REFS');
    expect(session.stats()).toMatchObject({ callbacks: 3, listeners: 3 });
    expect((await emitter.listenerCount('y')) as number).toBe(0);
    // Removing a listener lets main's proxy be collected, which frees the slot.
    await emitter.off('x', fns[1]!);
    for (let i = 0; i < 50 && session.stats().callbacks === 3; i++) await collectGarbage(2);
    expect(session.stats().callbacks).toBe(2);
    expect(await codeOf(emitter.on('x', fns[3]!))).toBe('ok');
    client.close();
  });

  it('maxSubscriptions: refuses a subscription past the limit with E_TOO_MANY_SUBSCRIPTIONS', async () => {
    const { client, session } = await setup({ maxSubscriptions: 3 });
    const api = await client.require<Playground>('api');
    const emitter = await api.emitter;
    const errors: unknown[] = [];
    const subs = ['a', 'b', 'c', 'd'].map((ev) => fromRemoteEvent(emitter, ev).subscribe({ error: (e) => errors.push(e) }));
    await until(() => errors.length === 1, 5000, 'the fourth subscription to fail');
    expect((errors[0] as { remoraCode: string }).remoraCode).toBe('E_TOO_MANY_SUBSCRIPTIONS');
    expect(session.stats().subscriptions).toBe(3);
    subs[0]!.unsubscribe();
    await until(() => session.stats().subscriptions === 2, 5000, 'unsubscribe to reach main');
    const fifth = fromRemoteEvent(emitter, 'e').subscribe({ error: (e) => errors.push(e) });
    await until(() => session.stats().subscriptions === 3, 5000, 'the fifth subscription');
    expect(errors).toHaveLength(1);
    fifth.unsubscribe();
    client.close();
  });

  it('streamWindow/streamBuffer with overflow "error": a renderer that stops acknowledging gets E_OVERFLOW and main holds nothing', async () => {
    const { broker, feed } = await setup({ streamWindow: 4, streamBuffer: 8, overflow: 'error' });
    const raw = rawTransport();
    const session = broker.connect(raw.transport);
    raw.inject({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    raw.inject({ t: 'require', id: 1, name: 'feed' });
    raw.inject({ t: 'sub', id: 2, ref: 1, path: ['values'] });
    await tick();
    expect(session.stats().subscriptions).toBe(1);
    for (let i = 0; i < 100; i++) feed.next(i);
    await tick();
    const values = raw.sent.filter((f) => f.t === 'next').flatMap((f) => f.v as number[]);
    expect(values).toEqual([0, 1, 2, 3]); // the window; nothing more was acknowledged
    const err = raw.sent.find((f) => f.t === 'error' && f.id === 2);
    expect(failError(err!)).toMatchObject({ remoraCode: 'E_OVERFLOW' });
    expect(session.stats().subscriptions).toBe(0);
    expect(feed.observed).toBe(false); // the source was torn down
  });

  it('overflow "drop-oldest": a slow renderer loses the oldest values, never more than window + buffer are held', async () => {
    const { broker, feed } = await setup({ streamWindow: 4, streamBuffer: 8, overflow: 'drop-oldest' });
    const raw = rawTransport();
    broker.connect(raw.transport);
    raw.inject({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    raw.inject({ t: 'require', id: 1, name: 'feed' });
    raw.inject({ t: 'sub', id: 2, ref: 1, path: ['values'] });
    await tick();
    for (let i = 0; i < 100; i++) feed.next(i);
    await tick();
    raw.inject({ t: 'ack', id: 2, n: 4 });
    await tick();
    raw.inject({ t: 'ack', id: 2, n: 4 });
    await tick();
    const values = raw.sent.filter((f) => f.t === 'next').flatMap((f) => f.v as number[]);
    expect(values).toEqual([0, 1, 2, 3, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(feed.observed).toBe(true);
  });

  it('frame shape limits (maxPath, maxKey, maxArgs) answer E_PROTOCOL; a batch over maxBatch is dropped whole', async () => {
    const { broker } = await setup({ maxPath: 3, maxKey: 16, maxArgs: 4, maxBatch: 5 });
    const raw = rawTransport();
    const session = broker.connect(raw.transport);
    const dropped: string[] = [];
    const sub = broker.inspect$.subscribe((e) => {
      if (e.kind === 'dropped' && e.session === session.id) dropped.push(String(e.detail));
    });
    raw.inject({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    raw.inject({ t: 'require', id: 1, name: 'calc' });
    raw.inject({ t: 'get', id: 2, ref: 1, path: ['a', 'b', 'c', 'd'] });
    raw.inject({ t: 'require', id: 3, name: 'c'.repeat(17) });
    raw.inject({ t: 'apply', id: 4, ref: 1, path: ['add'], args: [1, 2, 3, 4, 5] });
    raw.inject({ t: 'batch', f: Array.from({ length: 6 }, (_, i) => ({ t: 'get', id: 10 + i, ref: 1, path: [] })) });
    raw.inject({ t: 'apply', id: 5, ref: 1, path: ['add'], args: [1, 2] });
    await tick();
    for (const id of [2, 3, 4]) expect(failError(raw.sent.find((f) => f.id === id)!)).toMatchObject({ remoraCode: 'E_PROTOCOL' });
    expect(raw.sent.filter((f) => typeof f.id === 'number' && f.id >= 10 && f.id < 20)).toEqual([]);
    expect(dropped.some((d) => d.includes('batch'))).toBe(true);
    expect(raw.sent.find((f) => f.id === 5)).toMatchObject({ t: 'ok', v: 3 });
    sub.unsubscribe();
  });

  it('every limit is configurable through createBroker({ limits }) and keeps the defaults it is not given', () => {
    const broker = createBroker({ limits: { maxRefs: 7 } });
    expect(broker.limits).toMatchObject({
      maxRefs: 7, maxDepth: 64, maxFrameBytes: 16 * 1024 * 1024, maxPending: 10_000, maxSubscriptions: 1_000, maxCallbacks: 100_000,
      streamWindow: 4_096, streamBuffer: 10_000, overflow: 'error', maxPath: 32, maxKey: 1024, maxBatch: 10_000, maxArgs: 1024,
    });
  });
});
