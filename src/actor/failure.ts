/**
 * How the actor system reads a failure: a one-line description for inspection events (and an
 * actor's `lastFailure`), whether the failure is the caller's fault (then it never reaches a
 * supervisor), and whether a handler's result is a thenable at all. All are total: a failure
 * can be any value (a revoked Proxy, `{ toString: 0 }`, an error whose getters throw), and
 * reading it must never throw out of the actor or wedge a restart.
 * @packageDocumentation
 */
import { isCallerFault as isCallerFaultCode, RemoraError } from '../errors.js';
import { isThenable } from '../protocol/classify.js';
import { describeThrown } from '../protocol/thrown.js';

/** An actor's last failure of its own: its description and when it happened (the clock of `InspectEvent.at`). */
export interface ActorFailure {
  /** `CODE: message` of what failed it (read without ever throwing, whatever was thrown). */
  readonly detail: string;
  /** When, on the actor system's clock. */
  readonly at: number;
}

/** `CODE: message` for an error (its name when it has no code), else the value as text; never throws. */
export function describeFailure(e: unknown): string {
  return describeThrown(e);
}

/**
 * True when `e` is a RemoraError about the request, not a failure of the actor: its code's
 * fault is `caller` in the errors module's code table. Never throws (a Proxy is no RemoraError).
 */
export function isCallerFault(e: unknown): boolean {
  try {
    return e instanceof RemoraError && isCallerFaultCode(e.remoraCode);
  } catch {
    return false;
  }
}

/** True when a handler's result is a thenable; a value whose `then` cannot be read is not one. */
export function thenableResult(v: unknown): v is PromiseLike<unknown> {
  try {
    return isThenable(v);
  } catch {
    return false;
  }
}
