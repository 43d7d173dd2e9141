import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { createBroker } from '../../src/main/index.js';
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
