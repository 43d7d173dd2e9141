/** Deferred (pipelined) results, driven directly: main's replies scripted, real GC. */
import { describe, expect, it } from 'vitest';
import { AsyncFlavour, handleState } from '../../src/renderer/handles.js';
import { scriptedMain, turn } from './scripted-main.js';

const gc = (globalThis as { gc?: () => void }).gc!;

/** A call later calls were pipelined on (what `api.a().b()` makes of `api.a()`). */
function intermediate(m: ReturnType<typeof scriptedMain>, path: string) {
  const call = m.conn.request({ t: 'apply', ref: 1, path: [path], args: [] }, AsyncFlavour);
  call.frame.k = 1;
  return call;
}

/** Main answers two intermediates with refs `first` and `first + 1`; returns what `keep` picks of the calls. */
async function answered<T>(m: ReturnType<typeof scriptedMain>, first: number, keep: (calls: ReturnType<typeof intermediate>[]) => Promise<T>): Promise<T> {
  const calls = [intermediate(m, 'a'), intermediate(m, 'b')];
  await turn();
  for (const [i, c] of calls.entries()) m.send({ t: 'ok', id: c.frame.id, v: ['r', first + i, 'o'] });
  await turn();
  return keep(calls);
}

/** Collect garbage until main got `n` numbers of releases (or give up). */
async function collectUntil(m: ReturnType<typeof scriptedMain>, n: number): Promise<void> {
  for (let i = 0; i < 30 && m.released().length < n; i++) {
    gc();
    await turn(10);
  }
}

describe('deferred results', () => {
  it('keeps an intermediate result undecoded, making no handle, until someone asks for it', async () => {
    const m = scriptedMain();
    const call = intermediate(m, 'a');
    await turn();
    m.send({ t: 'ok', id: call.frame.id, v: ['r', 10, 'o'] });
    await turn();
    expect(m.conn.pendingCount).toBe(0);
    expect(m.conn.lifetime.size).toBe(0);
    const h = await call.promise;
    expect(handleState(h)?.ref?.id).toBe(10);
    expect(m.conn.lifetime.size).toBe(1);
  });

  it('decodes at once an intermediate result that holds a promise, or no ref at all', async () => {
    const m = scriptedMain();
    const withPromise = intermediate(m, 'p');
    const plain = intermediate(m, 'n');
    await turn();
    m.send({ t: 'ok', id: withPromise.frame.id, v: ['a', ['p', 50], ['r', 11, 'o']] });
    m.send({ t: 'ok', id: plain.frame.id, v: ['a', 1, 2] });
    await turn();
    expect(m.conn.lifetime.size).toBe(1); // the ref beside the promise became a handle
    expect(m.conn.pendingCount).toBe(1); // main settles the promise as call 50
    expect(await plain.promise).toEqual([1, 2]);
  });

  it('gives the refs of results nobody asked for back to main once they are garbage', async () => {
    const m = scriptedMain();
    await answered(m, 20, async () => undefined);
    await collectUntil(m, 4);
    expect(m.released()).toEqual([20, 1, 21, 1]);
    expect(m.conn.lifetime.size).toBe(0);
  });

  it('owes main nothing for results claimed before they became garbage', async () => {
    const m = scriptedMain();
    const claimed = await answered(m, 30, (calls) => calls[0]!.promise);
    await collectUntil(m, 2);
    expect(m.released()).toEqual([31, 1]);
    expect(handleState(claimed)?.ref?.released).toBe(false);
  });
});
