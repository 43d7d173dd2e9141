/**
 * Behaviour kept by the hot-path work done for the benchmarks (bench/RESULTS.md): a
 * pipelined chain's replies leave main as one message, member handles of a held object are
 * reused, and methods are listed per class without changing what is listed.
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { methodsOf } from '../../src/main/access.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';

class Link {
  constructor(readonly n: number) {}
  next(): Link {
    return new Link(this.n + 1);
  }
  value(): number {
    return this.n;
  }
}

function setup() {
  const broker = createBroker();
  broker.exposeModule('api', () => ({ link: (n: number) => new Link(n), add: (a: number, b: number) => a + b }));
  const { main, renderer } = createMemoryPair();
  const fromMain: unknown[] = [];
  const send = main.send.bind(main);
  main.send = (m: unknown) => {
    fromMain.push(m);
    send(m);
  };
  broker.connect(main);
  const client = connect(renderer);
  return { broker, client, fromMain };
}

describe('pipelined replies', () => {
  it('sends the replies of a 5-call pipelined chain to the renderer in one message', async () => {
    const { client, fromMain } = setup();
    const api = await client.require<any>('api');
    fromMain.length = 0;
    expect(await api.link(0).next().next().next().value()).toBe(3);
    expect(fromMain).toHaveLength(1);
    const m = fromMain[0] as { t: string; f: { t: string }[] };
    expect(m.t).toBe('batch');
    expect(m.f.map((f) => f.t)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('still answers every call of a chain whose middle link throws, in order', async () => {
    const broker = createBroker();
    broker.exposeModule('api', () => ({
      link: (n: number) => ({ next: () => { throw new Error(`broken at ${n}`); } }),
    }));
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const api = await connect(renderer).require<any>('api');
    await expect(api.link(1).next().next()).rejects.toMatchObject({ message: expect.stringContaining('broken at 1') });
    expect(broker.stats().pipes).toBe(0);
  });
});

describe('outbound chunks', () => {
  it('answers 20 000 calls made in one tick, sent in messages of at most 256 frames', async () => {
    const broker = createBroker();
    broker.exposeModule('api', () => ({ add: (a: number, b: number) => a + b }));
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const toMain: unknown[] = [];
    const send = renderer.send.bind(renderer);
    renderer.send = (m: unknown) => {
      toMain.push(m);
      send(m);
    };
    const api = await connect(renderer).require<any>('api');
    toMain.length = 0;
    const results = await Promise.all(Array.from({ length: 20_000 }, (_, i) => api.add(i, 1)));
    expect(results[19_999]).toBe(20_000);
    const sizes = toMain.map((m) => ((m as { t: string; f?: unknown[] }).t === 'batch' ? (m as { f: unknown[] }).f.length : 1));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(Math.max(...sizes)).toBe(256);
  });
});

describe('member handles', () => {
  it('reuses the member handle of a held object and still makes one call per invocation', async () => {
    const { client } = setup();
    const api = await client.require<any>('api');
    expect(api.add).toBe(api.add);
    expect(await Promise.all([api.add(1, 2), api.add(3, 4)])).toEqual([3, 7]);
  });
});

describe('methodsOf', () => {
  it('lists the methods of class instances from their class, and own methods when an instance has them', () => {
    const a = new Link(1);
    const b = new Link(2);
    expect(methodsOf(a)).toEqual(['next', 'value']);
    expect(methodsOf(b)).toBe(methodsOf(a));
    const c = Object.assign(new Link(3), { extra: () => 1 });
    expect(methodsOf(c).sort()).toEqual(['extra', 'next', 'value']);
    expect(methodsOf({ f: () => 1, n: 2 })).toEqual(['f']);
  });
});
