/**
 * Deadlines of calls in flight: one interval timer for the whole connection, not one timer per
 * call. While any call is pending it ticks every {@link DEADLINE_CHECK_MS}; each tick fails
 * the calls whose deadline passed, and the timer stops once the table is empty.
 *
 * A deadline is therefore honoured to within one tick; a call costs no timer of its own.
 * @packageDocumentation
 */
import type { PendingCall, PendingCalls } from './pending-calls.js';

/** How often the calls in flight are checked against their deadlines, in ms. */
export const DEADLINE_CHECK_MS = 10;

/** A monotonic clock in ms where the runtime has one. */
export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The deadline timer of one connection's calls. */
export class Deadlines {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly calls: PendingCalls,
    /** A call's deadline passed: fail it (and tell main). */
    private readonly expired: (call: PendingCall) => void,
  ) {}

  /** Make sure the timer runs (a call was added). */
  arm(): void {
    if (this.timer) return;
    this.timer = setInterval(this.checkNow, DEADLINE_CHECK_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stop the timer (the connection ended). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly checkNow = (): void => this.check();

  /** Fail every call past its deadline; stop ticking when none is left. */
  private check(): void {
    if (this.calls.size === 0) {
      this.stop();
      return;
    }
    const t = now();
    for (const call of this.calls.values()) if (call.deadline <= t) this.expired(call);
  }
}
