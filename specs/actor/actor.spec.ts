import { afterEach, describe, expect, it, vi } from 'vitest';
import { gate, send, tree } from './support.js';

/** Fake the clocks the actor uses (timers and `performance.now()`). */
const fakeClock = (): void => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
};

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A service whose state shows whether it was rebuilt. */
function counter() {
  let n = 0;
  return { inc: () => ++n, crash: (): never => { throw new Error('boom'); } };
}

describe('Actor mailbox', () => {
  it('starts messages in arrival order and, in serial mode, waits for each promise', async () => {
    const { actor } = tree();
    const a = actor('module/log', () => ({ log: [] as string[] }), { mailbox: { mode: 'serial' } });
    const g = gate();
    let active = 0;
    let maxActive = 0;
    const step = (name: string, wait?: Promise<void>) => async (inst: { log: string[] }) => {
      active++;
      maxActive = Math.max(maxActive, active);
      inst.log.push(`start ${name}`);
      await wait;
      inst.log.push(`end ${name}`);
      active--;
    };
    const m1 = send(a, step('1', g.promise));
    const m2 = send(a, step('2'));
    const m3 = send(a, step('3'));
    expect(a.queued).toBe(2);
    g.open();
    await Promise.all([m1.done, m2.done, m3.done]);
    expect(maxActive).toBe(1);
    expect((a.instance as { log: string[] }).log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs up to maxConcurrent messages at once in concurrent mode', async () => {
    const { actor } = tree();
    const a = actor('module/par', () => ({}), { mailbox: { mode: 'concurrent', maxConcurrent: 2 } });
    const gates = [gate(), gate(), gate()];
    const ms = gates.map((g) => send(a, () => g.promise));
    expect(a.running).toBe(2);
    expect(a.queued).toBe(1);
    gates[0]!.open();
    await ms[0]!.done;
    expect(a.running).toBe(2);
    expect(a.queued).toBe(0);
    gates[1]!.open();
    gates[2]!.open();
    await Promise.all(ms.map((m) => m.done));
    expect(ms.every((m) => m.ok)).toBe(true);
  });

  it('refuses a message at once with E_MAILBOX_FULL when the mailbox is at capacity', async () => {
    const { actor, kinds } = tree();
    const a = actor('module/full', () => ({}), { mailbox: { mode: 'serial', capacity: 2 } });
    const g = gate();
    const first = send(a, () => g.promise);
    const waiting = [send(a, () => 'a'), send(a, () => 'b')];
    const refused = send(a, () => 'c');
    expect(refused.settled).toBe(true);
    expect(refused.error).toMatchObject({ code: 'E_MAILBOX_FULL' });
    expect(kinds()).toContain('mailbox-full');
    g.open();
    await Promise.all([first.done, ...waiting.map((m) => m.done)]);
    expect(waiting.map((m) => m.value)).toEqual(['a', 'b']);
  });

  it('fails a handler still running past its deadline with E_TIMEOUT and treats it as a failure', async () => {
    fakeClock();
    const { actor, kinds } = tree();
    const a = actor('module/slow', counter, { mailbox: { mode: 'serial', deadlineMs: 1000 }, supervision: { strategy: 'restart' } });
    send(a, (s) => s.inc());
    const hung = send(a, () => new Promise(() => undefined));
    const next = send(a, (s) => s.inc());
    await vi.advanceTimersByTimeAsync(999);
    expect(hung.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(hung.error).toMatchObject({ code: 'E_TIMEOUT' });
    expect(kinds()).toEqual(expect.arrayContaining(['timeout', 'failed', 'restarted']));
    // The supervisor restarted the actor, so the waiting message ran on a fresh instance.
    expect(next.value).toBe(1);
    expect(a.incarnation).toBe(1);
  });
});

describe('Actor restarts', () => {
  it('waits an exponentially growing backoff before each restart', async () => {
    fakeClock();
    const { actor, events } = tree();
    const a = actor('module/flaky', counter, {
      supervision: { strategy: 'restart', maxRestarts: 10, withinMs: 60_000, backoff: { minMs: 100, factor: 2, maxMs: 350, jitter: 0 } },
    });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      send(a, (s) => s.crash());
      expect(a.state).toBe('restarting');
      const wanted = [100, 200, 350, 350][i]!;
      await vi.advanceTimersByTimeAsync(wanted - 1);
      expect(a.state).toBe('restarting');
      await vi.advanceTimersByTimeAsync(1);
      expect(a.state).toBe('running');
      delays.push(events.filter((e) => e.kind === 'restarted').at(-1)!.ms!);
    }
    expect(delays).toEqual([100, 200, 350, 350]);
    expect(a.incarnation).toBe(4);
  });

  it('spreads the backoff delay by ±jitter', async () => {
    fakeClock();
    const { actor } = tree();
    const a = actor('module/jitter', counter, { supervision: { strategy: 'restart', backoff: { minMs: 1000, jitter: 0.5 } } });
    vi.spyOn(Math, 'random').mockReturnValue(0); // the low end: 1000 × (1 − 0.5)
    send(a, (s) => s.crash());
    await vi.advanceTimersByTimeAsync(499);
    expect(a.state).toBe('restarting');
    await vi.advanceTimersByTimeAsync(1);
    expect(a.state).toBe('running');
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999); // the high end: 2000 (second restart) × 1.5
    send(a, (s) => s.crash());
    await vi.advanceTimersByTimeAsync(2998);
    expect(a.state).toBe('restarting');
    await vi.advanceTimersByTimeAsync(2);
    expect(a.state).toBe('running');
  });

  it('resets the backoff after a message succeeds', async () => {
    fakeClock();
    const { actor } = tree();
    const a = actor('module/reset', counter, { supervision: { strategy: 'restart', maxRestarts: 10, backoff: { minMs: 100, jitter: 0 } } });
    send(a, (s) => s.crash());
    await vi.advanceTimersByTimeAsync(100);
    send(a, (s) => s.inc());
    send(a, (s) => s.crash());
    await vi.advanceTimersByTimeAsync(99);
    expect(a.state).toBe('restarting');
    await vi.advanceTimersByTimeAsync(1);
    expect(a.state).toBe('running');
  });

  it('keeps messages arriving during a restart in its mailbox and runs them on the fresh instance', async () => {
    fakeClock();
    const { actor } = tree();
    const a = actor('module/wait', counter, { mailbox: { capacity: 3 }, supervision: { strategy: 'restart', backoff: { minMs: 500, jitter: 0 } } });
    send(a, (s) => s.inc());
    send(a, (s) => s.inc());
    send(a, (s) => s.crash());
    const during = [send(a, (s) => s.inc()), send(a, (s) => s.inc()), send(a, (s) => s.inc())];
    const overflow = send(a, (s) => s.inc());
    expect(overflow.error).toMatchObject({ code: 'E_MAILBOX_FULL' });
    expect(during.some((m) => m.settled)).toBe(false);
    expect(a.queued).toBe(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(during.map((m) => m.value)).toEqual([1, 2, 3]);
  });

  it('stops and escalates on restart N+1 within the window, and forgets restarts older than the window', async () => {
    fakeClock();
    const { actor, events } = tree();
    const a = actor('module/intense', counter, { supervision: { strategy: 'restart', maxRestarts: 2, withinMs: 1000 } });
    send(a, (s) => s.crash());
    send(a, (s) => s.crash());
    expect(a.state).toBe('running');
    expect(a.incarnation).toBe(2);
    await vi.advanceTimersByTimeAsync(1000); // both restarts leave the window
    send(a, (s) => s.crash());
    send(a, (s) => s.crash());
    expect(a.incarnation).toBe(4);
    send(a, (s) => s.crash()); // the third restart within 1000 ms
    expect(a.state).toBe('stopped');
    expect(events.find((e) => e.kind === 'escalated')).toMatchObject({ actor: 'module/intense', detail: 'to root' });
    const after = send(a, (s) => s.inc());
    expect(after.error).toMatchObject({ code: 'E_ACTOR_STOPPED' });
  });

  it('does not charge a late failure of an earlier incarnation to the restarted actor', async () => {
    const { actor } = tree();
    const a = actor('module/late', counter, { mailbox: { mode: 'concurrent' }, supervision: { strategy: 'restart', maxRestarts: 1 } });
    const g = gate();
    const slow = send(a, () => g.promise.then(() => { throw new Error('late'); }));
    send(a, (s) => s.crash());
    expect(a.incarnation).toBe(1);
    g.open();
    await slow.done;
    expect(slow.error).toMatchObject({ message: 'late' });
    // With maxRestarts 1 a second charged failure would have stopped the actor.
    expect(a.state).toBe('running');
    expect(a.incarnation).toBe(1);
  });

  it('turns waiting messages into dead letters with E_ACTOR_STOPPED when stopped', async () => {
    const { actor, dead } = tree();
    const a = actor('module/stopme', counter, { mailbox: { mode: 'serial' }, supervision: { strategy: 'stop' } });
    const g = gate();
    const failing = send(a, () => g.promise.then(() => { throw new Error('fatal'); }));
    const waiting = send(a, (s) => s.inc(), { session: 's9', id: 7, op: 'apply' });
    g.open();
    await failing.done;
    expect(a.state).toBe('stopped');
    expect(waiting.error).toMatchObject({ code: 'E_ACTOR_STOPPED' });
    expect(dead).toEqual([{ actor: 'module/stopme', session: 's9', id: 7, op: 'apply', reason: 'stopped' }]);
  });

  it('stops and escalates when the factory throws during a restart, failing the waiting messages', async () => {
    fakeClock();
    const { actor, events, dead } = tree();
    let builds = 0;
    const a = actor('module/broken', () => {
      if (++builds > 1) throw new Error('config missing');
      return counter();
    }, { supervision: { strategy: 'restart', backoff: { minMs: 100, jitter: 0 } } });
    send(a, (s) => s.crash());
    const waiting = send(a, (s) => s.inc());
    await vi.advanceTimersByTimeAsync(100);
    expect(a.state).toBe('stopped');
    expect(waiting.error).toMatchObject({ code: 'E_ACTOR_STOPPED' });
    expect(dead).toHaveLength(1);
    expect(events.find((e) => e.kind === 'failed' && e.detail?.startsWith('restart failed'))).toMatchObject({ detail: 'restart failed: Error: config missing' });
    expect(events.some((e) => e.kind === 'escalated')).toBe(true);
  });

  it('leaves state alone on resume', () => {
    const { actor } = tree();
    const a = actor('module/resume', counter);
    send(a, (s) => s.inc());
    const crash = send(a, (s) => s.crash());
    expect(crash.error).toMatchObject({ message: 'boom' });
    expect(send(a, (s) => s.inc()).value).toBe(2);
    expect(a.incarnation).toBe(0);
  });
});

describe('Actor instance cleanup', () => {
  it('disposes the discarded instance before a restart and when stopped, once each', () => {
    const { actor } = tree();
    const disposed: [number, string][] = [];
    let made = 0;
    const a = actor('module/files', () => ({ id: ++made, crash: (): never => { throw new Error('boom'); } }), {
      supervision: { strategy: (e) => ((e as Error).message === 'fatal' ? 'stop' : 'restart'), dispose: (inst, why) => disposed.push([(inst as { id: number }).id, why]) },
    });
    send(a, (s) => s.crash());
    send(a, () => { throw new Error('fatal'); });
    send(a, () => 'ignored');
    expect(disposed).toEqual([[1, 'restart'], [2, 'stop']]);
  });

  it('reports a failing dispose on inspect$ and restarts anyway', () => {
    const { actor, events } = tree();
    const a = actor('module/leaky', () => ({}), {
      supervision: { strategy: 'restart', dispose: () => { throw new Error('close failed'); } },
    });
    send(a, () => { throw new Error('boom'); });
    expect(a.incarnation).toBe(1);
    expect(events.some((e) => e.kind === 'failed' && e.detail === 'dispose on restart failed: Error: close failed')).toBe(true);
  });
});
