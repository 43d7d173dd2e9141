/**
 * How the actor system reads a failure: a one-line description for inspection events, and
 * whether the failure is the caller's fault (then it never reaches a supervisor).
 * @packageDocumentation
 */
import { RemoraError } from '../errors.js';

/** `CODE: message` for an error (its name when it has no code), else the value as a string. */
export function describeFailure(e: unknown): string {
  if (e instanceof Error) return `${(e as { code?: string }).code ?? e.name}: ${e.message}`;
  return String(e);
}

/** Codes remora raises about the request itself (denied, bad value, no such object, ...). */
const CALLER_FAULTS = new Set(['E_DENIED', 'E_NO_OBJECT', 'E_STALE_REF', 'E_BAD_VALUE', 'E_PROTOCOL', 'E_INVALID_ARGS', 'E_UNKNOWN_ACTION', 'E_ABORTED']);

/** True when `e` is a RemoraError about the request, not a failure of the actor. */
export function isCallerFault(e: unknown): boolean {
  return e instanceof RemoraError && CALLER_FAULTS.has(e.remoraCode);
}
