/**
 * remora's stable error codes: the `ErrorCodes` constants and `isErrorCode`. This is the part
 * of the error family every side needs (a page too), so it stays small; what each code means,
 * what to do about it, whose fault it is and its HTTP status are documentation that only main
 * and the docs need, and live in `code-table.ts` (a new code gets a constant here and a row
 * there; the table's type makes a missing row a type error).
 * @packageDocumentation
 */

/** Every stable error code remora uses. */
export const ErrorCodes = {
  /** A frame broke the wire protocol (shape, kind, field types, tags). */
  E_PROTOCOL: 'E_PROTOCOL',
  /** The two sides speak different protocol versions. */
  E_VERSION: 'E_VERSION',
  /** The broker's policy does not let this renderer reach that module, global or property. */
  E_DENIED: 'E_DENIED',
  /** The ref id is unknown to this session (never issued, released, or another session's). */
  E_NO_OBJECT: 'E_NO_OBJECT',
  /** The ref belongs to an earlier incarnation of an actor that has since restarted. */
  E_STALE_REF: 'E_STALE_REF',
  /** The call did not settle within its deadline. */
  E_TIMEOUT: 'E_TIMEOUT',
  /** The connection closed (renderer reloaded, navigated, crashed, or main shut down). */
  E_CLOSED: 'E_CLOSED',
  /** The caller aborted the call with its AbortSignal. */
  E_ABORTED: 'E_ABORTED',
  /** The main-side object threw; the error carries the original name, message, stack and code. */
  E_TARGET_THREW: 'E_TARGET_THREW',
  /** A value cannot cross the wire (a symbol, a WeakMap, a value the policy forbids). */
  E_BAD_VALUE: 'E_BAD_VALUE',
  /** The handle was disposed or released; it can no longer be used. */
  E_RELEASED: 'E_RELEASED',
  /** The transport cannot block, so a synchronous call is impossible here. */
  E_SYNC_UNSUPPORTED: 'E_SYNC_UNSUPPORTED',
  /** A frame exceeds the configured maximum size. */
  E_FRAME_TOO_LARGE: 'E_FRAME_TOO_LARGE',
  /** A value nests deeper than the configured maximum depth. */
  E_TOO_DEEP: 'E_TOO_DEEP',
  /** The session already holds the maximum number of refs. */
  E_TOO_MANY_REFS: 'E_TOO_MANY_REFS',
  /** The session already has the maximum number of calls in flight. */
  E_TOO_MANY_PENDING: 'E_TOO_MANY_PENDING',
  /** The session already has the maximum number of open subscriptions. */
  E_TOO_MANY_SUBSCRIPTIONS: 'E_TOO_MANY_SUBSCRIPTIONS',
  /** The actor's mailbox is at capacity; the message was refused, not queued. */
  E_MAILBOX_FULL: 'E_MAILBOX_FULL',
  /** The actor was stopped by its supervisor; it answers no more messages. */
  E_ACTOR_STOPPED: 'E_ACTOR_STOPPED',
  /** A stream's buffer overflowed under its `error` overflow policy. */
  E_OVERFLOW: 'E_OVERFLOW',
  /** An action or method name is not registered. */
  E_UNKNOWN_ACTION: 'E_UNKNOWN_ACTION',
  /** Arguments failed validation. */
  E_INVALID_ARGS: 'E_INVALID_ARGS',
  // Transports (issue 16): connection budgets and output backpressure.
  /** A server holds the most connections, handshakes or sync request bodies it may; this one was refused. */
  E_TOO_MANY_CONNECTIONS: 'E_TOO_MANY_CONNECTIONS',
  /** The peer stopped reading: more bytes waited on its connection than the limit, so it was closed. */
  E_SLOW_CONSUMER: 'E_SLOW_CONSUMER',
  // Schema validation of exposed APIs (docs/validation.md).
  /** A call's arguments (or a property write) failed the method's schema; carries `issues`. */
  E_BAD_ARGS: 'E_BAD_ARGS',
  /** Under `validate: 'required'`, a call to a method (or a write to a property) that has no schema. */
  E_NO_SCHEMA: 'E_NO_SCHEMA',
  /** What main's implementation returned failed the method's output schema; carries `issues`. */
  E_BAD_RESULT: 'E_BAD_RESULT',
  // main-hard (issue 16): outbound size, broker-wide budget
  /** One reply (or stream value, or callback invocation) is too large to send in one message. */
  E_REPLY_TOO_LARGE: 'E_REPLY_TOO_LARGE',
  /** The broker already serves the most sessions it may; the new one was refused. */
  E_TOO_MANY_SESSIONS: 'E_TOO_MANY_SESSIONS',
  /** All renderers together hold the most of something (refs, callbacks, calls, stream values) main allows. */
  E_OVER_BUDGET: 'E_OVER_BUDGET',
} as const;

/** A stable remora error code. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** True when `code` is one of remora's own codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ErrorCodes, code);
}
