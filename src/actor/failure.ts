/**
 * How the actor system reads a failure: a one-line description for inspection events, and
 * whether the failure is the caller's fault (then it never reaches a supervisor). Both are
 * total: a failure can be any value (a revoked Proxy, `{ toString: 0 }`, an error whose
 * getters throw), and reading it must never throw out of the actor or wedge a restart.
 * @packageDocumentation
 */
import { isCallerFault as isCallerFaultCode, RemoraError } from '../errors.js';
import { describeThrown } from '../protocol/thrown.js';

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
