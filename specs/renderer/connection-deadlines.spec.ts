/** Deadlines of calls in flight, driven directly (one timer per connection, not per call). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AsyncFlavour } from '../../src/renderer/handles.js';
import { Deadlines, DEADLINE_CHECK_MS, now } from '../../src/renderer/deadlines.js';
import { PendingCall, PendingCalls } from '../../src/renderer/pending-calls.js';
import { scriptedMain, turn } from './scripted-main.js';

const noHost = { reference: (): never => { throw new Error('no refs'); } };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('deadlines', () => {
  it('fails a call with E_TIMEOUT once its deadline passes, and tells main to cancel it', async () => {
    const m = scriptedMain();
    const call = m.conn.request({ t: 'apply', ref: 1, path: ['slow'], args: [] }, AsyncFlavour, { timeout: 30 });
    await expect(call.promise).rejects.toMatchObject({ code: 'E_TIMEOUT', message: expect.stringContaining('30') });
    expect(m.conn.pendingCount).toBe(0);
    await turn();
    expect(m.sent('cancel')).toEqual([{ t: 'cancel', id: call.frame.id }]);
  });

  it('keeps a call whose deadline has not passed, and fails only the late one', async () => {
    const m = scriptedMain();
    const late = m.conn.request({ t: 'get', ref: 1, path: ['a'] }, AsyncFlavour, { timeout: 20 });
    const patient = m.conn.request({ t: 'get', ref: 1, path: ['b'] }, AsyncFlavour, { timeout: 10_000 });
    await expect(late.promise).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(patient.settled).toBe(false);
    m.send({ t: 'ok', id: patient.frame.id, v: 'b' });
    expect(await patient.promise).toBe('b');
  });

  it('runs one timer for all calls and stops it once no call is pending', async () => {
    const started = vi.spyOn(globalThis, 'setInterval');
    const stopped = vi.spyOn(globalThis, 'clearInterval');
    const calls = new PendingCalls();
    const expired: PendingCall[] = [];
    const deadlines = new Deadlines(calls, (c) => {
      expired.push(c);
      calls.settle(c, false, new Error('late'));
    });
    for (let id = 1; id <= 3; id++) {
      const c = new PendingCall({ t: 'get', id }, now() + 5, noHost);
      c.quiet();
      calls.add(c);
      deadlines.arm();
    }
    expect(started).toHaveBeenCalledTimes(1);
    await turn(DEADLINE_CHECK_MS * 4);
    expect(expired.map((c) => c.frame.id)).toEqual([1, 2, 3]);
    await turn(DEADLINE_CHECK_MS * 3);
    expect(stopped).toHaveBeenCalled();
  });
});
