/**
 * Deadlines of calls in flight: one timer for the whole connection, aimed at the earliest
 * deadline of the calls it knows. A call with a later deadline (the usual case: every call
 * gets now + the same timeout) changes nothing; an earlier one moves the timer. When it fires,
 * the calls past their deadline fail and the timer moves to the next earliest one.
 *
 * Why not a tick: a fixed 10 ms interval while calls were in flight woke every waiting
 * connection 100 times a second for nothing; with 100 renderers on 2 cores those wake-ups cost
 * more CPU than the calls themselves (bench scale case). Now a connection whose calls settle
 * in time is never woken for a deadline.
 *
 * The timer keeps a Node process alive only while calls with a deadline are in flight: when
 * none is left it is let go (`unref`, or cleared where timers have no `unref`), so a script
 * whose only work is a call in flight waits for its reply or its `E_TIMEOUT`, and an idle
 * connection holds no process open. Time is the protocol's `monotonicClock`.
 * @packageDocumentation
 */
import { monotonicClock } from '../protocol/index.js';
import type { PendingCall, PendingCalls } from './pending-calls.js';

type Timer = ReturnType<typeof setTimeout> & { ref?(): unknown; unref?(): unknown };

/** The deadline timer of one connection's calls. */
export class Deadlines {
  private timer: Timer | undefined;
  /** When the timer fires (monotonic ms); +Infinity without one. */
  private dueAt = Number.POSITIVE_INFINITY;
  /** Deadline checks run so far (each a wake-up of the connection). */
  wakeups = 0;

  /** Checks `calls`; `expired` fails the late ones of a check. */
  constructor(
    private readonly calls: PendingCalls,
    /** These calls' deadlines passed (all found by one check, still in the table): fail them (and tell main). */
    private readonly expired: (late: readonly PendingCall[]) => void,
  ) {}

  /** A call with `deadline` (monotonic ms; +Infinity: none) is in flight now. */
  arm(deadline: number): void {
    if (deadline < this.dueAt) this.aim(deadline);
    else if (deadline !== Number.POSITIVE_INFINITY) this.timer?.ref?.();
  }

  /** No call is in flight: let the timer go from the process's point of view (it fires once more, finding nothing). */
  idle(): void {
    if (this.timer?.unref) this.timer.unref();
    else this.stop();
  }

  /** Stop the timer (the connection ended). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
  }

  private aim(deadline: number): void {
    clearTimeout(this.timer);
    this.dueAt = deadline;
    // +1: fire at or after the deadline, never a rounding step before it.
    this.timer = setTimeout(this.fire, Math.max(0, Math.ceil(deadline - monotonicClock())) + 1) as Timer;
  }

  /** Fail every call past its deadline; aim at the earliest deadline left, if any. */
  private readonly fire = (): void => {
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
    this.wakeups++;
    const t = monotonicClock();
    let next = Number.POSITIVE_INFINITY;
    let late: PendingCall[] | undefined;
    for (const call of this.calls.values()) {
      if (call.deadline <= t) (late ??= []).push(call);
      else if (call.deadline < next) next = call.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.aim(next);
    if (late) this.expired(late);
  };
}
