/**
 * The table of remora's error codes: one row per code with what happened, what to do, whose
 * fault it is and the HTTP status it maps to. Everything else about codes (the docs page, the
 * supervisor's "does this count as a failure", the sync endpoint's status) reads this table,
 * so a new code is a constant in `codes.ts` plus its row here, and nothing else (the table's
 * type makes a missing row a type error). This is main-side documentation: no page-side module
 * imports it (`npm run size` keeps it off the page bundle); a page needs only `codes.ts`.
 * @packageDocumentation
 */
import { isErrorCode, type ErrorCode } from './codes.js';

/**
 * Whose fault a failure is. `caller`: the request was wrong (the actor that answered it is
 * healthy, so it does not count against the actor's restart intensity). `target`: the object or
 * actor that served the call failed. `system`: the connection, a limit or the runtime.
 */
export type Fault = 'caller' | 'target' | 'system';

/** One row of the code table. */
export interface ErrorCodeInfo {
  /** What happened, in one line. */
  readonly summary: string;
  /** What to do about it, in one line (the "what to do" column of docs/errors.md). */
  readonly todo: string;
  /** Whose fault it is (see {@link Fault}). */
  readonly fault: Fault;
  /** The HTTP status an HTTP endpoint answers with for this code. */
  readonly http: number;
}

/** The code table: every code with its doc line, its fault and its HTTP status. */
export const errorTable: { readonly [C in ErrorCode]: ErrorCodeInfo } = {
  E_PROTOCOL: { summary: 'A frame broke the wire protocol.', todo: 'Run the same remora version on both sides; check that a custom transport delivers messages unchanged and in order.', fault: 'caller', http: 400 },
  E_VERSION: { summary: 'Renderer and main speak different protocol versions.', todo: 'Ship the same remora version in main and renderer bundles.', fault: 'system', http: 400 },
  E_DENIED: { summary: 'The renderer asked for something main does not expose.', todo: 'Expose the module or global in main, or reach the value through an exposed method.', fault: 'caller', http: 403 },
  E_NO_OBJECT: { summary: 'The ref id is not in this session.', todo: 'Get the object again from its parent handle; never share ref ids between renderers.', fault: 'caller', http: 404 },
  E_STALE_REF: { summary: 'The object came from an actor incarnation that has since restarted.', todo: 'Get the object again from the actor.', fault: 'caller', http: 410 },
  E_TIMEOUT: { summary: 'A call did not settle within its deadline.', todo: 'Raise the timeout, or fix the hung handler.', fault: 'target', http: 504 },
  E_CLOSED: { summary: 'The connection closed while the call was pending, or before it was made.', todo: 'Reconnect; a renderer that reloads gets a fresh session.', fault: 'system', http: 410 },
  E_ABORTED: { summary: 'The caller aborted the call.', todo: 'Nothing: this is the answer the caller asked for.', fault: 'caller', http: 409 },
  E_TARGET_THREW: { summary: 'The main-side object threw.', todo: 'Handle the original error (its code and name).', fault: 'target', http: 500 },
  E_BAD_VALUE: { summary: 'A value cannot cross the wire, or is not what the operation needs.', todo: 'Send plain data, functions, or handles.', fault: 'caller', http: 422 },
  E_RELEASED: { summary: 'The handle was disposed or released.', todo: 'Obtain a new handle from its parent.', fault: 'target', http: 410 },
  E_SYNC_UNSUPPORTED: { summary: 'A synchronous call on a transport that cannot block.', todo: 'Use the async API, or a transport that blocks.', fault: 'system', http: 501 },
  E_FRAME_TOO_LARGE: { summary: "A frame's values exceed the frame size limit.", todo: 'Send smaller payloads or raise limits.maxFrameBytes.', fault: 'system', http: 413 },
  E_TOO_DEEP: { summary: 'A value nests deeper than the depth limit.', todo: 'Flatten the data or raise limits.maxDepth.', fault: 'system', http: 413 },
  E_TOO_MANY_REFS: { summary: 'The session holds the most refs or callbacks it may.', todo: 'Dispose handles, remove listeners, or raise the limit.', fault: 'system', http: 429 },
  E_TOO_MANY_PENDING: { summary: 'The session has the most calls in flight it may.', todo: 'Await some calls before starting more, or raise limits.maxPending.', fault: 'system', http: 429 },
  E_TOO_MANY_SUBSCRIPTIONS: { summary: 'The session has the most open streams it may.', todo: 'Unsubscribe, share subscriptions, or raise limits.maxSubscriptions.', fault: 'system', http: 429 },
  E_MAILBOX_FULL: { summary: "The actor's mailbox is at capacity; the message was refused.", todo: 'Retry later, slow the caller, or raise mailbox.capacity.', fault: 'system', http: 503 },
  E_ACTOR_STOPPED: { summary: 'The actor was stopped by its supervisor.', todo: 'Main must expose the service again.', fault: 'system', http: 503 },
  E_OVERFLOW: { summary: "A stream's renderer fell too far behind under the error overflow policy.", todo: 'Consume faster, throttle the source, or use the drop-oldest policy.', fault: 'system', http: 503 },
  E_UNKNOWN_ACTION: { summary: 'An action name is not registered.', todo: 'Dispatch one of the registered actions.', fault: 'caller', http: 400 },
  E_INVALID_ARGS: { summary: 'Arguments failed validation.', todo: 'Fix the arguments.', fault: 'caller', http: 400 },
  // Transports (issue 16).
  E_TOO_MANY_CONNECTIONS: { summary: 'The server holds the most connections, handshakes or sync request bodies it may.', todo: 'Retry later, close connections you no longer need, or raise the WebSocket host limits.', fault: 'system', http: 503 },
  E_SLOW_CONSUMER: { summary: 'The peer stopped reading and its unsent data passed the buffer limit; main closed the connection.', todo: 'Read messages promptly (do not block the page), or raise maxBufferedBytes.', fault: 'system', http: 503 },
  // Schema validation of exposed APIs (docs/validation.md).
  E_BAD_ARGS: { summary: "A call's arguments failed the method's schema; the implementation never ran.", todo: "Send what the method's schema accepts (the error's issues say where and why).", fault: 'caller', http: 422 },
  E_NO_SCHEMA: { summary: "Under validate: 'required', the method or property has no schema.", todo: 'Give the method (or property) a schema in main, or call one that has one.', fault: 'caller', http: 403 },
  E_BAD_RESULT: { summary: "What main's implementation returned failed the method's output schema.", todo: 'Fix the main-side implementation or its output schema (the issues say where).', fault: 'target', http: 500 },
  // main-hard (issue 16): outbound size, broker-wide budget
  E_REPLY_TOO_LARGE: { summary: 'A reply is larger than one outbound message may be; main did not send it.', todo: 'Return less (page through the data) or raise limits.maxReplyBytes.', fault: 'system', http: 413 },
  E_TOO_MANY_SESSIONS: { summary: 'The broker serves the most sessions it may; the new session was refused.', todo: 'Close idle renderers or raise budget.maxSessions.', fault: 'system', http: 503 },
  E_OVER_BUDGET: { summary: 'All renderers together hold the most refs, callbacks, calls or stream values main allows.', todo: 'Release handles, settle calls, or raise the budget limit named in the message.', fault: 'system', http: 503 },
};

/** Every code, in table order. */
export const errorCodeList: readonly ErrorCode[] = /* @__PURE__ */ Object.keys(errorTable) as ErrorCode[];

/** Whose fault a failure with this code is. */
export function faultOf(code: ErrorCode): Fault {
  return errorTable[code].fault;
}

/**
 * True when `code` (or a RemoraError's `remoraCode`) names a caller's fault: the actor that
 * answered is healthy, so the failure does not count against its restart intensity.
 */
export function isCallerFault(code: unknown): boolean {
  return isErrorCode(code) && errorTable[code].fault === 'caller';
}

/** The HTTP status an HTTP endpoint (the WebSocket sync endpoint) answers with for `code`. */
export function httpStatusOf(code: ErrorCode): number {
  return errorTable[code].http;
}
