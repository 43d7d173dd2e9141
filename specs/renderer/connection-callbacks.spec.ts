/** Renderer callbacks main holds, driven directly: ids, invocation and giving sends back. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Callbacks } from '../../src/renderer/callbacks.js';
import { scriptedMain, turn } from './scripted-main.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('callbacks', () => {
  it('sends a function as a callback id, the same id however often it is passed', () => {
    const m = scriptedMain();
    const fn = (): void => undefined;
    expect(m.conn.encodeArgs([fn, fn])).toEqual([['c', 1], ['c', 1]]);
    expect(m.conn.encodeArgs([() => undefined])).toEqual([['c', 2]]);
    expect(m.conn.callbackCount).toBe(2);
  });

  it('runs a callback main invokes with its decoded arguments', async () => {
    const m = scriptedMain();
    const seen: unknown[][] = [];
    const [wire] = m.conn.encodeArgs([(...args: unknown[]) => seen.push(args)]) as [[string, number]];
    m.send({ t: 'cb', cb: wire[1], args: [1, 'two', ['a', 3]] });
    await turn();
    expect(seen).toEqual([[1, 'two', [3]]]);
  });

  it('reports a throwing callback without breaking the connection', async () => {
    const m = scriptedMain();
    const reported: unknown[] = [];
    // The host's way of reporting: reportError where it exists (pages, Node 22+), else console.error.
    const g = globalThis as { reportError?: (e: unknown) => void };
    if (typeof g.reportError === 'function') vi.spyOn(g as { reportError: (e: unknown) => void }, 'reportError').mockImplementation((e) => reported.push(e));
    else vi.spyOn(console, 'error').mockImplementation((_msg, e) => reported.push(e));
    const [wire] = m.conn.encodeArgs([() => { throw new Error('oops'); }]) as [[string, number]];
    m.send({ t: 'cb', cb: wire[1], args: [] });
    await turn();
    expect(reported).toEqual([expect.objectContaining({ message: 'oops' })]);
    expect(m.conn.isClosed).toBe(false);
  });

  it('forgets a function only once main gave back every send of it', () => {
    const cbs = new Callbacks();
    const fn = (): void => undefined;
    const id = cbs.sent(fn);
    cbs.sent(fn);
    cbs.givenBack([id, 1]);
    expect(cbs.get(id)).toBe(fn);
    cbs.givenBack([id, 1]);
    expect(cbs.get(id)).toBeUndefined();
    expect(cbs.size).toBe(0);
    expect(cbs.sent(fn)).toBe(id); // passed again later: the same id
  });

  it('does not run a callback main gave back, nor any after the connection closed', async () => {
    const m = scriptedMain();
    let runs = 0;
    const [a] = m.conn.encodeArgs([() => runs++]) as [[string, number]];
    const [b] = m.conn.encodeArgs([() => runs++]) as [[string, number]];
    m.send({ t: 'cbfree', cbs: [a[1], 1] });
    m.send({ t: 'cb', cb: a[1], args: [] });
    await turn();
    expect(runs).toBe(0);
    expect(m.conn.callbackCount).toBe(1);
    m.conn.close();
    expect(m.conn.callbackCount).toBe(0);
    void b;
  });
});
