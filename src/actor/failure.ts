/**
 * How the actor system reads a failure: a one-line description for inspection events, and
 * whether the failure is the caller's fault (then it never reaches a supervisor).
 * @packageDocumentation
 */
import { isCallerFault as isCallerFaultCode, RemoraError } from '../errors.js';

/** `CODE: message` for an error (its name when it has no code), else the value as a string. */
export function describeFailure(e: unknown): string {
  if (e instanceof Error) return `${(e as { code?: string }).code ?? e.name}: ${e.message}`;
  return String(e);
}

/**
 * True when `e` is a RemoraError about the request, not a failure of the actor: its code's
 * fault is `caller` in the errors module's code table.
 */
export function isCallerFault(e: unknown): boolean {
  return e instanceof RemoraError && isCallerFaultCode(e.remoraCode);
}
