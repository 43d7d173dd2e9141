/** Deadlines of calls in flight, driven directly (one timer per connection, not per call). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AsyncFlavour, withOptions } from '../../src/renderer/handles.js';
import { monotonicClock as now } from '../../src/protocol/index.js';
import { Deadlines } from '../../src/renderer/deadlines.js';
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

  it('runs one timer for all calls, aimed at the earliest deadline, and fails them all in one check', async () => {
    const calls = new PendingCalls();
    const expired: PendingCall[] = [];
    const deadlines = new Deadlines(calls, (late) => {
      for (const c of late) {
        expired.push(c);
        calls.settle(c, false, new Error('late'));
      }
    });
    const started = vi.spyOn(globalThis, 'setTimeout');
    const t = now();
    for (let id = 1; id <= 3; id++) {
      const c = new PendingCall({ t: 'get', id, path: [] }, t + 5 + id, noHost);
      c.quiet();
      calls.add(c);
      deadlines.arm(c.deadline);
    }
    // Later deadlines than the first change nothing.
    expect(started).toHaveBeenCalledTimes(1);
    started.mockRestore();
    await turn(40);
    expect(expired.map((c) => c.frame.id)).toEqual([1, 2, 3]);
    expect(deadlines.wakeups).toBeLessThanOrEqual(3);
    // Nothing left: no further check.
    const w = deadlines.wakeups;
    await turn(30);
    expect(deadlines.wakeups).toBe(w);
  });
});

describe('deadline checks', () => {
  it('never wake a connection whose calls settle before their deadlines (no tick while calls are in flight)', async () => {
    // 100 renderers waiting on calls each woke every 10 ms for nothing: on 2 cores that cost
    // more CPU than the calls (bench scale case). Checks now run at the earliest deadline only.
    const m = scriptedMain();
    const t0 = now();
    for (let i = 0; i < 12; i++) {
      const call = m.conn.request({ t: 'get', ref: 1, path: ['x'] }, AsyncFlavour, { timeout: 5_000 });
      await turn(15);
      m.send({ t: 'ok', id: call.frame.id, v: i });
      expect(await call.promise).toBe(i);
    }
    expect(now() - t0).toBeGreaterThan(150);
    expect(m.conn.deadlineWakeups).toBe(0);
  });

  it('fails a call at its own deadline when an earlier call has a later one', async () => {
    const m = scriptedMain();
    const slow = m.conn.request({ t: 'get', ref: 1, path: ['slow'] }, AsyncFlavour, { timeout: 10_000 });
    const t0 = now();
    const quick = m.conn.request({ t: 'get', ref: 1, path: ['quick'] }, AsyncFlavour, { timeout: 40 });
    await expect(quick.promise).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(now() - t0).toBeGreaterThanOrEqual(39);
    expect(now() - t0).toBeLessThan(1_000);
    expect(slow.settled).toBe(false);
    m.send({ t: 'ok', id: slow.frame.id, v: 1 });
    expect(await slow.promise).toBe(1);
  });
});

describe('what a timeout names', () => {
  it('names the method path of an apply, the property of a get and the call a pipelined one was aimed at', async () => {
    const m = scriptedMain();
    const apply = m.conn.request({ t: 'apply', ref: 1, path: ['section', 'get'], args: [] }, AsyncFlavour, { timeout: 20 });
    const get = m.conn.request({ t: 'get', ref: 1, path: ['section', 'value'] }, AsyncFlavour, { timeout: 20 });
    const root = m.conn.request({ t: 'require', name: 'settings' }, AsyncFlavour, { timeout: 20 });
    const piped = m.conn.request({ t: 'apply', on: root.frame.id, path: ['section', 'get'], args: [] }, AsyncFlavour, { timeout: 20 });
    await expect(apply.promise).rejects.toMatchObject({ code: 'E_TIMEOUT', message: expect.stringContaining('The section.get() call did not settle within 20 ms') });
    await expect(get.promise).rejects.toMatchObject({ message: expect.stringContaining('The section.value call did not settle') });
    await expect(root.promise).rejects.toMatchObject({ message: expect.stringContaining('The require("settings") call did not settle') });
    await expect(piped.promise).rejects.toMatchObject({ message: expect.stringContaining('The require("settings").section.get() call did not settle') });
  });

  it('names the method a handle called when its deadline passes', async () => {
    const m = scriptedMain();
    const settings = m.conn.decodeValue(['r', 7, 'o'], AsyncFlavour) as { section: { get(): Promise<unknown> } };
    // Settled through `then` (a pending handle is callable, so `expect(p).rejects` would call it).
    const p = Promise.resolve(withOptions(settings, { timeout: 20 }).section.get());
    await expect(p).rejects.toMatchObject({ code: 'E_TIMEOUT', message: expect.stringContaining('section.get() call did not settle within 20 ms') });
  });
});
