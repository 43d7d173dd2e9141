import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { connect, withOptions } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';

interface Api {
  twice(n: number): number;
  call(fn: (n: number) => void, n: number): string;
  kind(v: unknown): string;
}

function setup() {
  const broker = createBroker();
  broker.exposeModule('api', () => ({
    twice: (n: number) => n * 2,
    call: (fn: (n: number) => void, n: number) => {
      fn(n);
      return typeof fn;
    },
    kind: (v: unknown) => typeof v,
  }));
  const { main, renderer } = createMemoryPair();
  broker.connect(main);
  return connect(renderer).require<Api>('api');
}

/** A function Proxy that answers every property read with itself (as deep-proxy helpers do). */
function catchAll(seen: number[]): (n: number) => void {
  const p: (n: number) => void = new Proxy((n: number) => void seen.push(n), { get: () => p });
  return p;
}

describe('telling handles from other values', () => {
  it('sends a foreign function Proxy that answers every key as a callback, not as a handle', async () => {
    const api = await setup();
    const seen: number[] = [];
    expect(await api.call(catchAll(seen), 41)).toBe('function');
    await api.twice(0); // main's callback invocation arrives before this reply
    expect(seen).toEqual([41]);
  });

  it('sends a revoked function Proxy as a callback too', async () => {
    const api = await setup();
    const { proxy, revoke } = Proxy.revocable(() => undefined, {});
    revoke();
    expect(await api.kind(proxy)).toBe('function');
  });

  it('still waits for a pending value passed as an argument', async () => {
    const api = await setup();
    expect(await api.twice(api.twice(5))).toBe(20);
  });

  it('still refuses a pending value nested inside an argument', async () => {
    const api = await setup();
    expect(() => api.twice({ n: api.twice(1) } as unknown as number)).toThrow(expect.objectContaining({ code: 'E_BAD_VALUE' }));
  });

  it('gives withOptions a pending value and a root handle alike', async () => {
    const api = await setup();
    expect(await withOptions(api.twice(4), { timeout: 1000 })).toBe(8);
    expect(await withOptions(api, { timeout: 1000 }).twice(3)).toBe(6);
  });

  it('gives a withOptions view its own members: the root handle\'s cached members keep the root\'s options', async () => {
    const api = await setup();
    expect(await api.twice(1)).toBe(2); // caches the root's member
    const ac = new AbortController();
    ac.abort();
    await expect(withOptions(api, { signal: ac.signal }).twice(2)).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(await api.twice(3)).toBe(6);
  });
});
