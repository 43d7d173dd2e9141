/**
 * One factory per error code (plus a few named variants whose wording recurs), with structured
 * details. Messages say what happened and what to do; the details are kept on the error as a
 * non-enumerable `details` property. Code outside this folder builds errors only through
 * these factories (specs/errors-sites.spec.ts keeps it that way).
 *
 * Each factory is its own export, so a bundle keeps only the factories it calls (a page calls
 * a handful of the ~45). Inside remora, import them as a namespace straight from this file,
 * `import * as errors from '../errors/factories.js'`, and call `errors.closed(...)`: bundlers
 * tree-shake a direct namespace import, while esbuild keeps every member of the `errors`
 * namespace re-exported by `src/errors.ts` (the public name, for apps). A new factory is one
 * more `export const` here.
 * @packageDocumentation
 */
import type { ErrorCode } from './codes.js';
import { RemoraError, type RemoraErrorOptions } from './remora-error.js';

/** Details of a "prefix: what. advice" message: `what` happened; `advice` says what to do. */
export interface WhatDetails {
  /** What happened, without a final period. */
  what: string;
  /** What to do, as a sentence (appended after the period); omitted when not given. */
  advice?: string;
  /** The underlying cause. */
  cause?: unknown;
}

function make(code: ErrorCode, message: string, details?: object, cause?: { cause?: unknown }): RemoraError {
  const options: RemoraErrorOptions = {};
  if (details) options.details = details as Record<string, unknown>;
  if (cause && 'cause' in cause) options.cause = cause.cause;
  return new RemoraError(code, message, options);
}

function sentence(prefix: string, d: WhatDetails): string {
  return `${prefix}${d.what}.${d.advice ? ` ${d.advice}` : ''}`;
}

function what(code: ErrorCode, prefix: string, d: WhatDetails): RemoraError {
  const { cause, ...details } = d;
  return make(code, sentence(prefix, d), details, 'cause' in d ? { cause } : undefined);
}

const pathText = (path: readonly string[]): string => path.join('.') || '(target)';

/** The advice a legacy `errors.protocol(string)` message ends with. */
const PROTOCOL_ADVICE = 'The frame was refused; check that both sides run the same remora version.';

/**
 * Any code with a one-off message. Prefer a named factory; use this where the wording is
 * unique to one site.
 */
export const of = (code: ErrorCode, message: string, options?: RemoraErrorOptions): RemoraError => new RemoraError(code, message, options);

/** `E_PROTOCOL`. A string gives the standard "the frame was refused" advice; `{ what }` states only what broke. */
export const protocol = (d: string | WhatDetails): RemoraError =>
  typeof d === 'string' ? what('E_PROTOCOL', 'Protocol violation: ', { what: d, advice: PROTOCOL_ADVICE }) : what('E_PROTOCOL', 'Protocol violation: ', d);
/** `E_PROTOCOL`: a wire value is malformed (`what` names the part). */
export const malformedValue = (d: { what: string }): RemoraError => what('E_PROTOCOL', 'Protocol violation: ', { what: `malformed value (${d.what})` });
/** `E_PROTOCOL`: a reference tag arrived on the side where it is not valid. */
export const tagNotValid = (d: { tag: string; from: 'main' | 'a renderer' }): RemoraError =>
  make('E_PROTOCOL', `Protocol violation: tag "${d.tag}" is not valid from ${d.from}.`, d);
/** `E_VERSION`: main refused the handshake over the protocol version (`detail`: main's reason). */
export const version = (d: { detail: string }): RemoraError =>
  make('E_VERSION', `Main refused the handshake: ${d.detail}. Run the same remora version on both sides.`, d);

/** `E_DENIED`. A string gives the standard "main must expose it" advice; `{ what, advice }` its own. */
export const denied = (d: string | WhatDetails): RemoraError =>
  typeof d === 'string'
    ? what('E_DENIED', 'Denied: ', { what: d, advice: 'Main must expose it explicitly (see docs/security.md).' })
    : what('E_DENIED', 'Denied: ', d);
/** `E_DENIED`: a name is exposed already. */
export const alreadyExposed = (d: { name: string }): RemoraError => make('E_DENIED', `"${d.name}" is already exposed; withdraw it first.`, d);

/** `E_NO_OBJECT`: no object with that ref id (a ref id or `{ ref }`), or no such `{ what }`. */
export const noObject = (d: unknown): RemoraError => {
  if (d !== null && typeof d === 'object' && typeof (d as { what?: unknown }).what === 'string') {
    return make('E_NO_OBJECT', `No ${(d as { what: string }).what}.`, d);
  }
  const ref = d !== null && typeof d === 'object' && 'ref' in d ? (d as { ref: unknown }).ref : d;
  return make('E_NO_OBJECT', `No object with ref ${String(ref)} in this session: it was released, never issued, or belongs to another renderer.`, { ref });
};
/** `E_STALE_REF`: the ref points into an actor incarnation that has restarted. */
export const staleRef = (d: { ref: number; actor: string }): RemoraError =>
  make('E_STALE_REF', `Ref ${d.ref} points into an earlier incarnation of actor ${d.actor}, which has restarted since. Get the object again from the actor.`, d);

/** `E_TIMEOUT` of a renderer-side call: `(ms, what?)` or `{ ms, method? }` (`method`: the frame kind). */
export const timeout = (d: number | { ms: number; method?: string }, whatCall = 'call'): RemoraError => {
  const ms = typeof d === 'number' ? d : d.ms;
  const label = typeof d === 'number' ? whatCall : d.method === undefined ? 'call' : `${d.method} call`;
  return make('E_TIMEOUT', `The ${label} did not settle within ${ms} ms. Raise the timeout with withOptions(handle, { timeout }) or check the main-side handler.`, typeof d === 'number' ? { ms, what: whatCall } : d);
};
/** `E_TIMEOUT` of a blocking (synchronous) call in a transport. */
export const syncTimeout = (d: { ms: number }): RemoraError =>
  make('E_TIMEOUT', `The synchronous call did not settle within ${d.ms} ms. Raise syncTimeout, or use the async API.`, d);
/** `E_TIMEOUT`: an actor missed its mailbox deadline (a failure for its supervisor). */
export const actorDeadline = (d: { actor: string; ms: number }): RemoraError =>
  make('E_TIMEOUT', `Actor ${d.actor} did not answer within its ${d.ms} ms deadline; its supervisor treats this as a failure.`, d);

/** `E_CLOSED`. A string (or nothing) gives the "pending calls were rejected" advice; `{ what, advice }` its own. */
export const closed = (d: string | WhatDetails = 'the connection closed'): RemoraError =>
  typeof d === 'string'
    ? what('E_CLOSED', 'Closed: ', { what: d, advice: 'Pending calls were rejected; reconnect to continue.' })
    : what('E_CLOSED', 'Closed: ', d);
/** `E_CLOSED` seen from main: the renderer of a session went away (`kind`: how). */
export const rendererGone = (d: { kind: string }): RemoraError => make('E_CLOSED', `The renderer went away (${d.kind}).`, d);

/** `E_ABORTED` by the caller's AbortSignal (`reason`: the signal's reason). */
export const aborted = (reason?: unknown): RemoraError =>
  new RemoraError('E_ABORTED', `The call was aborted by its AbortSignal${reason === undefined ? '' : ` (${String(reason)})`}.`, { cause: reason });
/** `E_ABORTED`: the renderer sent a cancel frame for the call. */
export const cancelled = (): RemoraError => make('E_ABORTED', 'The renderer cancelled this call.');
/** `E_ABORTED`: the call was abandoned before it started (`reason`: the code it was abandoned for). */
export const abandoned = (d: { reason: string }): RemoraError => make('E_ABORTED', `The call was abandoned before it started (${d.reason}).`, d);
/** `E_ABORTED`: the caller of an actor gave up; its mailbox slot is free again. */
export const callerGaveUp = (d: { actor: string }): RemoraError =>
  make('E_ABORTED', `The caller of ${d.actor} gave up (cancelled, or its renderer went away); its mailbox slot is free again.`, d);

/** A pipelined call failed because the call it depends on failed: same code (`E_TARGET_THREW` when none). */
export const dependencyFailed = (d: { code?: ErrorCode; why: string }): RemoraError =>
  make(d.code ?? 'E_TARGET_THREW', `The pipelined call it depends on failed: ${d.why}`, d);

/**
 * `E_BAD_VALUE`. A string gives the standard "send plain data" advice; `{ what }` says only
 * "Cannot send <what> across the wire."
 */
export const badValue = (d: string | { what: string }): RemoraError =>
  typeof d === 'string'
    ? make('E_BAD_VALUE', `Cannot send ${d} across the wire. Send plain data, or a value main exposes by reference.`, { what: d })
    : make('E_BAD_VALUE', `Cannot send ${d.what} across the wire.`, d);
/** `E_BAD_VALUE`: the value at `path` is not the kind an operation needs (`expected`: "a function", "an Observable", ...). */
export const notA = (d: { path: readonly string[]; expected: string }): RemoraError =>
  make('E_BAD_VALUE', `"${pathText(d.path)}" is not ${d.expected}.`, d);

/** `E_RELEASED`: the handle was disposed. */
export const released = (): RemoraError => make('E_RELEASED', 'This handle was disposed; obtain a new one from its parent object.');
/** `E_SYNC_UNSUPPORTED`: this transport cannot block. */
export const syncUnsupported = (): RemoraError =>
  make('E_SYNC_UNSUPPORTED', 'This transport cannot block, so synchronous (compatibility-mode) calls are impossible here. Use the async API (await the call).');
/** `E_FRAME_TOO_LARGE`: a value exceeds the frame's byte budget. */
export const frameTooLarge = (d: { maxBytes: number }): RemoraError =>
  make('E_FRAME_TOO_LARGE', `A value exceeds the ${d.maxBytes}-byte frame limit. Send smaller payloads or raise limits.maxFrameBytes.`, d);
/** `E_TOO_DEEP`: a value nests deeper than the limit. */
export const tooDeep = (d: { maxDepth: number }): RemoraError =>
  make('E_TOO_DEEP', `A value nests deeper than ${d.maxDepth} levels. Flatten it or raise limits.maxDepth.`, d);
/** `E_TOO_MANY_REFS`: the session's ref table is full. */
export const tooManyRefs = (d: { max: number }): RemoraError =>
  make('E_TOO_MANY_REFS', `This renderer holds ${d.max} refs already; release handles (dispose them) or raise limits.maxRefs.`, d);
/** `E_TOO_MANY_REFS`: main holds the most callbacks (or, with `listeners`, listeners) of this renderer it may. */
export const tooManyCallbacks = (d: { max: number; listeners?: boolean }): RemoraError =>
  make('E_TOO_MANY_REFS', d.listeners
    ? `Main already holds ${d.max} listeners of this renderer; remove some or raise limits.maxCallbacks.`
    : `Main already holds ${d.max} callbacks of this renderer; remove listeners you no longer need or raise limits.maxCallbacks.`, d);
/** `E_TOO_MANY_PENDING`: too many calls in flight. */
export const tooManyPending = (d: { max: number }): RemoraError =>
  make('E_TOO_MANY_PENDING', `This renderer already has ${d.max} calls in flight; wait for some to settle or raise limits.maxPending.`, d);
/** `E_TOO_MANY_SUBSCRIPTIONS`: too many open streams. */
export const tooManySubscriptions = (d: { max: number }): RemoraError =>
  make('E_TOO_MANY_SUBSCRIPTIONS', `This renderer already has ${d.max} open subscriptions; unsubscribe some or raise limits.maxSubscriptions.`, d);
/** `E_MAILBOX_FULL`: the actor refused the message. */
export const mailboxFull = (d: { actor: string; capacity: number }): RemoraError =>
  make('E_MAILBOX_FULL', `Actor ${d.actor} has ${d.capacity} messages waiting; this one was refused. Retry later or raise mailbox.capacity.`, d);
/** `E_ACTOR_STOPPED`: the actor was stopped by its supervisor. */
export const actorStopped = (d: { actor: string }): RemoraError =>
  make('E_ACTOR_STOPPED', `Actor ${d.actor} was stopped by its supervisor and answers no more messages. Main must expose it again.`, d);
/** `E_OVERFLOW`: a stream's renderer fell `buffer` values behind. */
export const overflow = (d: { stream: number; buffer: number }): RemoraError =>
  make('E_OVERFLOW', `Stream ${d.stream} overflowed: the renderer fell ${d.buffer} values behind. Consume faster, throttle the source, or choose the drop-oldest policy.`, d);
/** `E_UNKNOWN_ACTION`: `action` is not one of `known`. */
export const unknownAction = (d: { action: string; known: readonly string[] }): RemoraError =>
  make('E_UNKNOWN_ACTION', `Unknown action ${JSON.stringify(d.action)}: this state actor has ${d.known.map((k) => JSON.stringify(k)).join(', ') || 'no actions'}.`, d);
// main-hard (issue 16): outbound size, broker-wide budget
/** `E_REPLY_TOO_LARGE`: an outbound frame of about `bytes` is over the `max`-byte bound (`limit` names it). */
export const replyTooLarge = (d: { bytes: number; max: number; limit?: string }): RemoraError =>
  make('E_REPLY_TOO_LARGE', `The reply is about ${d.bytes} bytes, over the ${d.max}-byte bound of one message, so main did not send it. Return less (page through the data) or raise limits.${d.limit ?? 'maxReplyBytes'}.`, d);
/** `E_TOO_MANY_SESSIONS`: the broker serves `max` sessions already. */
export const tooManySessions = (d: { max: number }): RemoraError =>
  make('E_TOO_MANY_SESSIONS', `Main already serves ${d.max} renderers; this one was refused. Close idle renderers or raise budget.maxSessions.`, d);
/** `E_OVER_BUDGET`: all sessions together hold `max` of `what` (`limit`: the budget limit's name). */
export const overBudget = (d: { what: string; max: number; limit: string }): RemoraError =>
  make('E_OVER_BUDGET', `All renderers together hold ${d.max} ${d.what} already, main's budget for them; release some or raise budget.${d.limit}.`, d);
/** `E_INVALID_ARGS`: arguments failed validation (`what` says how, `advice` what to do). */
export const invalidArgs = (d: WhatDetails): RemoraError => make('E_INVALID_ARGS', sentence('', d), d);

// gaps (issue 18 item 6): a wait that ends, naming what it waited for.
/** `E_TIMEOUT`: `waitedFor` did not happen within `ms` (a connection setup, not a call); `advice` says what to do. */
export const waitedInVain = (d: { ms: number; waitedFor: string; advice: string }): RemoraError =>
  make('E_TIMEOUT', `Waited ${d.ms} ms for ${d.waitedFor}, and it did not come. ${d.advice}`, d);

// Transports (issue 16).
/** `E_TOO_MANY_CONNECTIONS`: `what` is at its cap `max` (connections, handshakes, sync bodies). */
export const tooManyConnections = (d: { what: string; max: number }): RemoraError =>
  make('E_TOO_MANY_CONNECTIONS', `The server already has ${d.max} ${d.what}; this one was refused. Retry later or raise the limit.`, d);
/** `E_SLOW_CONSUMER`: the peer stopped reading; `buffered` bytes waited (limit `max`). */
export const slowConsumer = (d: { buffered: number; max: number }): RemoraError =>
  make('E_SLOW_CONSUMER', `The peer stopped reading: ${d.buffered} bytes waited to be sent (limit ${d.max}), so the connection was closed. Read messages promptly or raise maxBufferedBytes.`, d);
// Schema validation of exposed APIs (docs/validation.md): `issues` is an own enumerable property, so it crosses the wire.
/** `E_BAD_ARGS` (`result: false`) or `E_BAD_RESULT` (`result: true`): `where` failed its schema with `issues`. */
export const schemaFailed = (d: { where: string; issues: readonly { path: readonly (string | number)[]; message: string }[]; result?: boolean }): RemoraError => {
  const list = d.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
  const e = d.result
    ? make('E_BAD_RESULT', `The result of ${d.where} failed its output schema (${list}). Fix the main-side implementation or its schema.`, d)
    : make('E_BAD_ARGS', `The arguments of ${d.where} failed its schema (${list}); the call never ran.`, d);
  return Object.defineProperty(e, 'issues', { value: d.issues, enumerable: true, writable: true, configurable: true });
};
/** `E_NO_SCHEMA`: `where` has no schema and its API requires one (`validate: 'required'`). */
export const noSchema = (d: { where: string }): RemoraError =>
  make('E_NO_SCHEMA', `Refused: ${d.where} has no schema, and this API requires one for every call (validate: 'required'). Give it a schema in main.`, d);
