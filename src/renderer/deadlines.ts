/**
 * Deadlines of calls in flight: one interval timer for the whole connection, not one timer per
 * call. While any call with a deadline is pending it ticks every {@link DEADLINE_CHECK_MS};
 * each tick fails the calls whose deadline passed, and the timer stops once none is left.
 *
 * A deadline is therefore honoured to within one tick; a call costs no timer of its own. The
 * timer keeps a Node process alive while it runs (it is not unref'd): a script whose only work
 * is a call in flight waits for its reply or its `E_TIMEOUT` instead of exiting silently.
 * Idle, the timer is stopped, so a connection with nothing in flight holds no process open.
 * Time is the protocol's `monotonicClock`.
 * @packageDocumentation
 */
import { monotonicClock } from '../protocol/index.js';
import type { PendingCall, PendingCalls } from './pending-calls.js';

/** How often the calls in flight are checked against their deadlines, in ms. */
export const DEADLINE_CHECK_MS = 10;

/** The deadline timer of one connection's calls. */
export class Deadlines {
  private timer: ReturnType<typeof setInterval> | undefined;

  /** Checks `calls`; `expired` fails the late ones of a tick. */
  constructor(
    private readonly calls: PendingCalls,
    /** These calls' deadlines passed (all found on one tick, still in the table): fail them (and tell main). */
    private readonly expired: (late: readonly PendingCall[]) => void,
  ) {}

  /** Make sure the timer runs (a call was added). */
  arm(): void {
    if (this.timer) return;
    this.timer = setInterval(this.checkNow, DEADLINE_CHECK_MS);
  }

  /** Stop the timer (the connection ended). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private readonly checkNow = (): void => this.check();

  /**
   * Fail every call past its deadline; stop ticking when no call with a deadline is left (a
   * promise main settles later has none, and must not keep the process alive by itself).
   */
  private check(): void {
    const t = monotonicClock();
    let waiting = false;
    let late: PendingCall[] | undefined;
    for (const call of this.calls.values()) {
      if (call.deadline <= t) (late ??= []).push(call);
      else if (call.deadline !== Number.POSITIVE_INFINITY) waiting = true;
    }
    if (late) this.expired(late);
    if (!waiting) this.stop();
  }
}
