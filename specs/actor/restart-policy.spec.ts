/** Unit specs of the restart policy: restart intensity over a sliding window, and backoff. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff, RestartIntensity } from '../../src/actor/restart-policy.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A clock the spec moves by hand. */
function manualClock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('RestartIntensity', () => {
  it('allows maxRestarts restarts within the window and refuses the next one', () => {
    const clock = manualClock();
    const intensity = new RestartIntensity(3, 5000, clock.now);
    expect([intensity.allow(), intensity.allow(), intensity.allow()]).toEqual([true, true, true]);
    expect(intensity.allow()).toBe(false);
  });

  it('forgets restarts older than the window', () => {
    const clock = manualClock();
    const intensity = new RestartIntensity(2, 1000, clock.now);
    intensity.allow();
    clock.advance(600);
    intensity.allow();
    expect(intensity.allow()).toBe(false);
    clock.advance(400); // the first restart is now exactly 1000 ms old: outside the window
    expect(intensity.allow()).toBe(true);
    expect(intensity.allow()).toBe(false);
  });

  it('does not count a refused restart against the window', () => {
    const clock = manualClock();
    const intensity = new RestartIntensity(1, 1000, clock.now);
    expect(intensity.allow()).toBe(true);
    clock.advance(900);
    expect(intensity.allow()).toBe(false);
    clock.advance(100);
    expect(intensity.allow()).toBe(true);
  });

  it('refuses every restart with maxRestarts 0', () => {
    expect(new RestartIntensity(0, 1000, manualClock().now).allow()).toBe(false);
  });

  it('defaults to 3 restarts within 5000 ms', () => {
    const clock = manualClock();
    const intensity = new RestartIntensity(undefined, undefined, clock.now);
    expect([intensity.allow(), intensity.allow(), intensity.allow(), intensity.allow()]).toEqual([true, true, true, false]);
    clock.advance(5000);
    expect(intensity.allow()).toBe(true);
  });
});

describe('Backoff', () => {
  it('waits nothing without backoff options', () => {
    const b = new Backoff(undefined);
    expect([b.next(), b.next()]).toEqual([0, 0]);
  });

  it('grows by factor per consecutive restart up to maxMs', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter
    const b = new Backoff({ minMs: 100, factor: 3, maxMs: 1000 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([100, 300, 900, 1000]);
  });

  it('starts over at minMs after a reset', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const b = new Backoff({ minMs: 50 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(50);
  });

  it('spreads each delay by at most ±jitter', () => {
    const b = () => new Backoff({ minMs: 1000, jitter: 0.1 });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(b().next()).toBe(900);
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    expect(b().next()).toBe(1100);
  });
});
