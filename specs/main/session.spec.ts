import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';

function setup() {
  const emitter = new EventEmitter();
  const shared = { name: 'shared', touch: () => 1 };
  const odd = {
    // Own methods named like Object.prototype members: ordinary methods, not listener registration.
    hasOwnProperty: (cb: () => void) => typeof cb,
    toString: (cb: () => void) => typeof cb,
    valueOf: (cb: () => void) => typeof cb,
  };
  const broker = createBroker();
  broker.exposeModule('svc', () => ({ emitter, odd, getShared: () => shared, emit: (e: string, v: unknown) => emitter.emit(e, v) }));
  const { main, renderer } = createMemoryPair();
  const session = broker.connect(main);
  const client = connect(renderer);
  return { broker, session, client, emitter };
}

describe('session tables', () => {
  it('removes a once-listener at session end even after the same callback fired once on another emitter', async () => {
    const broker = createBroker();
    const a = new EventEmitter();
    const b = new EventEmitter();
    broker.exposeModule('two', () => ({ a, b, fire: () => a.emit('x', 1) }));
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const client = connect(renderer);
    const two = await client.require<any>('two');
    let calls = 0;
    const f = (): void => void calls++;
    await two.a.once('x', f);
    await two.b.once('y', f);
    await two.fire();
    await until(() => calls === 1, 2000, 'the callback');
    expect(broker.stats().listeners).toBe(1); // a's fired and is forgotten, b's is still there
    client.close();
    await until(() => broker.stats().sessions === 0, 2000, 'session close');
    expect(b.listenerCount('y')).toBe(0);
    expect(a.listenerCount('x')).toBe(0);
  });

  it('tracks listeners a renderer adds, forgets the ones it removes, and removes the rest when it goes away', async () => {
    const { broker, client, emitter } = setup();
    const svc = await client.require<any>('svc');
    const got: unknown[] = [];
    const onData = (v: unknown): void => void got.push(v);
    await svc.emitter.on('data', onData);
    await svc.emitter.once('data', onData);
    expect(broker.stats().listeners).toBe(2);
    expect(emitter.listenerCount('data')).toBe(2);
    await svc.emit('data', 1);
    await until(() => got.length === 2, 2000, 'callbacks');
    expect(broker.stats().listeners).toBe(1); // the once-listener fired and is gone
    await svc.emitter.off('data', onData);
    expect(broker.stats().listeners).toBe(0);
    expect(emitter.listenerCount('data')).toBe(0);
    await svc.emitter.on('data', onData);
    await svc.emitter.on('other', onData);
    expect(emitter.listenerCount('data') + emitter.listenerCount('other')).toBe(2);
    client.close();
    await until(() => broker.stats().sessions === 0, 2000, 'session close');
    expect(emitter.listenerCount('data') + emitter.listenerCount('other')).toBe(0);
  });

  it('does not mistake an own method named like an Object.prototype member for a listener registration', async () => {
    const { broker, client } = setup();
    const svc = await client.require<any>('svc');
    const cb = (): void => undefined;
    expect(await svc.odd.hasOwnProperty(cb)).toBe('function');
    expect(await svc.odd.toString(cb)).toBe('function');
    expect(await svc.odd.valueOf(cb)).toBe('function');
    expect(broker.stats().listeners).toBe(0);
  });

  it('holds one ref per object however often it is sent, until every send is released', async () => {
    const { broker, client } = setup();
    const svc = await client.require<any>('svc');
    const base = broker.stats().refs;
    const a = await svc.getShared();
    const b = await svc.getShared();
    expect(a).toBe(b);
    expect(broker.stats().refs).toBe(base + 1);
    a[Symbol.dispose]();
    await until(() => broker.stats().refs === base, 2000, 'release');
    const c = await svc.getShared();
    expect(c).not.toBe(a);
    expect(await c.touch()).toBe(1);
  });
});

describe('renderer callbacks main lets go of', () => {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  /** A module that calls a callback once, keeps one, fires the kept one, and holds any number. */
  function makeCallbackApi() {
    const held: unknown[] = [];
    let kept: ((v: number) => void) | undefined;
    return {
      hold: (cb: unknown) => void held.push(cb),
      callOnce: (cb: (v: number) => void) => {
        cb(0);
        return 'called';
      },
      keep: (cb: (v: number) => void) => {
        kept = cb;
        return 'kept';
      },
      fire: (v: number) => {
        kept?.(v);
        return 'fired';
      },
    };
  }
  type CallbackApi = ReturnType<typeof makeCallbackApi>;

  it('keeps a callback the renderer sends again while main sweeps the proxy it dropped', async () => {
    const broker = createBroker();
    broker.exposeModule('api', makeCallbackApi);
    const { main, renderer } = createMemoryPair();
    const session = broker.connect(main);
    const client = connect(renderer);
    const api = await client.require<CallbackApi>('api');
    for (let i = 0; i < 511; i++) await api.hold(() => undefined); // main's table is one short of a sweep
    const heard: number[] = [];
    const f = (v: number): void => void heard.push(v);
    await api.callOnce(f); // main calls f's proxy once and drops it
    await sleep(10);
    gc(); // the proxy is collected; its finalizer has not run yet
    await api.keep(f); // the same id again: main sweeps the dead proxy and makes a new one
    await api.fire(7);
    await until(() => heard.length === 2, 2000, 'the kept callback to fire');
    expect(heard).toEqual([0, 7]);
    expect(client.connection.callbackCount).toBe(session.stats().callbacks);
    client.close();
  });

  it('keeps a callback whose re-send crossed main\'s cbfree for it on the wire', async () => {
    const broker = createBroker();
    broker.exposeModule('api', makeCallbackApi);
    const { main, renderer } = createMemoryPair();
    // Main's frames take 30 ms to reach the renderer, as over a busy IPC channel.
    const slow = { ...main, send: (m: unknown) => void setTimeout(() => main.send(m), 30) };
    const session = broker.connect(slow);
    const client = connect(renderer);
    const api = await client.require<CallbackApi>('api');
    const heard: number[] = [];
    const f = (v: number): void => void heard.push(v);
    await api.callOnce(f);
    await sleep(5);
    gc();
    await sleep(5); // main's finalizer ran: its cbfree for f is on the wire
    const kept = api.keep(f); // the renderer, not knowing yet, sends f again
    expect(await kept).toBe('kept');
    await sleep(60); // the cbfree has arrived by now
    await api.fire(7);
    await until(() => heard.length === 2, 2000, 'the kept callback to fire');
    expect(heard).toEqual([0, 7]);
    expect(session.stats().callbacks).toBe(1);
    expect(client.connection.callbackCount).toBe(1);
    client.close();
  });
});
