/** Pending calls, driven directly: a Connection over the memory transport, main scripted by hand. */
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/protocol/index.js';
import { RemoraError } from '../../src/errors.js';
import { AsyncFlavour } from '../../src/renderer/handles.js';
import { PendingCall, PendingCalls } from '../../src/renderer/pending-calls.js';
import { scriptedMain, turn } from './scripted-main.js';

const mainHost = { plainWithFunctions: 'ref' as const, binary: 'clone' as const, byReference: (): never => { throw new Error('no refs here'); } };
const noHost = { reference: (): never => { throw new Error('no refs'); } };

describe('pending calls', () => {
  it('settles a call with the value main answered and stops tracking it', async () => {
    const m = scriptedMain();
    const call = m.conn.request({ t: 'get', ref: 1, path: ['n'] }, AsyncFlavour);
    expect(m.conn.pendingCount).toBe(1);
    await turn();
    expect(m.sent('get')).toEqual([{ t: 'get', ref: 1, path: ['n'], id: call.frame.id }]);
    m.send({ t: 'ok', id: call.frame.id, v: 42 });
    expect(await call.promise).toBe(42);
    expect(m.conn.pendingCount).toBe(0);
  });

  it('rejects a call with the error main failed it with, as the caller sees it', async () => {
    const m = scriptedMain();
    const call = m.conn.request({ t: 'apply', ref: 1, path: ['boom'], args: [] }, AsyncFlavour);
    await turn();
    m.send({ t: 'fail', id: call.frame.id, e: encode(new RemoraError('E_NO_OBJECT', 'no such thing'), mainHost) });
    await expect(call.promise).rejects.toMatchObject({ code: 'E_NO_OBJECT', message: 'no such thing' });
    expect(m.conn.pendingCount).toBe(0);
  });

  it('gives back the refs of a reply to a call that settled already, and settles nothing twice', async () => {
    const m = scriptedMain();
    const ac = new AbortController();
    const call = m.conn.request({ t: 'get', ref: 1, path: ['x'] }, AsyncFlavour, { signal: ac.signal });
    await turn();
    ac.abort('gave up');
    await expect(call.promise).rejects.toMatchObject({ code: 'E_ABORTED' });
    m.send({ t: 'ok', id: call.frame.id, v: ['r', 7, 'o'] });
    await turn(5);
    expect(m.released()).toEqual([7, 1]);
    expect(m.sent('cancel')).toEqual([{ t: 'cancel', id: call.frame.id }]);
  });

  it('takes an aborted call back out of the outbox when its frame has not left yet', async () => {
    const m = scriptedMain();
    const ac = new AbortController();
    const call = m.conn.request({ t: 'get', ref: 1, path: ['x'] }, AsyncFlavour, { signal: ac.signal });
    ac.abort();
    await expect(call.promise).rejects.toMatchObject({ code: 'E_ABORTED' });
    await turn();
    expect(m.sent('get')).toEqual([]);
    expect(m.sent('cancel')).toEqual([]);
  });

  it('rejects every call in flight with E_CLOSED the moment main closes, and fails later calls at once', async () => {
    const m = scriptedMain();
    const calls = [1, 2, 3].map((ref) => m.conn.request({ t: 'get', ref, path: [] }, AsyncFlavour));
    await turn();
    m.close();
    for (const c of calls) await expect(c.promise).rejects.toMatchObject({ code: 'E_CLOSED' });
    expect(m.conn.pendingCount).toBe(0);
    const late = m.conn.request({ t: 'get', ref: 1, path: [] }, AsyncFlavour);
    await expect(late.promise).rejects.toMatchObject({ code: 'E_CLOSED' });
    expect(m.conn.pendingCount).toBe(0);
  });

  it('settles a call exactly once, whichever settles it first', async () => {
    const calls = new PendingCalls();
    const call = new PendingCall({ t: 'get', id: 9 }, Number.POSITIVE_INFINITY, noHost);
    calls.add(call);
    calls.settle(call, true, 'first');
    calls.settle(call, false, new Error('second'));
    expect(await call.promise).toBe('first');
    expect(calls.size).toBe(0);
  });

  it('sends the calls of one tick as one message', async () => {
    const m = scriptedMain();
    await turn();
    const before = m.messages.length;
    for (let i = 0; i < 5; i++) m.conn.request({ t: 'get', ref: 1, path: [String(i)] }, AsyncFlavour);
    await turn();
    expect(m.messages.length - before).toBe(1);
    expect(m.sent('get')).toHaveLength(5);
  });
});
