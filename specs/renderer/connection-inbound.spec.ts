/** Inbound frames from a scripted main: each kind goes where it belongs, unknown kinds nowhere. */
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/protocol/index.js';
import { RemoraError } from '../../src/errors.js';
import { dispatchFrame, type InboundParts } from '../../src/renderer/inbound.js';
import { scriptedMain, turn } from './scripted-main.js';

const mainHost = { plainWithFunctions: 'ref' as const, binary: 'clone' as const, byReference: (): never => { throw new Error('no refs here'); } };

function sink() {
  const seen: unknown[] = [];
  return { seen, sink: { next: (v: unknown) => seen.push(v), error: (e: unknown) => seen.push({ error: e }), complete: () => seen.push('complete') } };
}

describe('inbound frames', () => {
  it('resolves ready on welcome and records the session main assigned', async () => {
    const m = scriptedMain({ name: 'unit' });
    await turn();
    expect(m.sent('hello')).toEqual([expect.objectContaining({ t: 'hello', name: 'unit', gen: 0 })]);
    m.send({ t: 'welcome', session: 's-1' });
    await m.conn.ready;
    expect(m.conn.session).toBe('s-1');
  });

  it('closes the connection when main says bye, failing ready with the reason', async () => {
    const m = scriptedMain();
    m.send({ t: 'bye', reason: 'E_VERSION: too old' });
    await expect(m.conn.ready).rejects.toMatchObject({ code: 'E_VERSION' });
    expect(m.conn.isClosed).toBe(true);
  });

  it('feeds stream values to their subscription in order and acknowledges them in one frame', async () => {
    const m = scriptedMain();
    const { seen, sink: s } = sink();
    const id = m.conn.openStream({ t: 'sub', ref: 1, path: [] }, s);
    m.send({ t: 'next', id, v: [1, 2, 3] });
    await turn();
    expect(seen).toEqual([1, 2, 3]);
    await turn();
    expect(m.sent('ack')).toEqual([{ t: 'ack', id, n: 3 }]);
  });

  it('ends a subscription on complete, and on error with the error as the caller sees it', async () => {
    const m = scriptedMain();
    const a = sink();
    const b = sink();
    const done = m.conn.openStream({ t: 'sub', ref: 1, path: [] }, a.sink);
    const failed = m.conn.openStream({ t: 'sub', ref: 2, path: [] }, b.sink);
    m.send({ t: 'complete', id: done });
    m.send({ t: 'error', id: failed, e: encode(new RemoraError('E_TARGET_THREW', 'source broke'), mainHost) });
    m.send({ t: 'next', id: done, v: ['late'] });
    await turn();
    expect(a.seen).toEqual(['complete']);
    expect(b.seen).toEqual([{ error: expect.objectContaining({ code: 'E_TARGET_THREW', message: 'source broke' }) }]);
    expect(m.conn.streamCount).toBe(0);
  });

  it('gives back the refs of stream values that arrive after the renderer unsubscribed', async () => {
    const m = scriptedMain();
    const id = m.conn.openStream({ t: 'sub', ref: 1, path: [] }, sink().sink);
    m.conn.closeStream(id);
    m.send({ t: 'next', id, v: [['r', 5, 'o'], 'plain', ['a', ['r', 6, 'o']]] });
    await turn(5);
    expect(m.sent('unsub')).toEqual([{ t: 'unsub', id }]);
    expect(m.released()).toEqual([5, 1, 6, 1]);
  });

  it('ignores frames of unknown kinds, including names an object inherits', () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('touched'); } }) as InboundParts;
    for (const t of ['nope', 'constructor', '__proto__', 'toString', undefined, 7]) {
      expect(() => dispatchFrame({ t }, untouchable)).not.toThrow();
    }
  });

  it('ignores replies to calls it never made', async () => {
    const m = scriptedMain();
    m.send({ t: 'ok', id: 999, v: 1 });
    m.send({ t: 'fail', id: 998, e: 'x' });
    m.send({ t: 'complete', id: 997 });
    await turn();
    expect(m.conn.isClosed).toBe(false);
  });
});
