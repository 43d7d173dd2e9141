/**
 * The remora error family. Every failure remora reports is a {@link RemoraError} with a
 * stable `code`; `docs/errors.md` lists each code with what it means and what to do.
 *
 * @example
 * ```ts
 * try { await api.save(doc) }
 * catch (e) { if (isRemoraError(e, 'E_TIMEOUT')) retryLater() }
 * ```
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
} as const;

/** A stable remora error code. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const codeSet: ReadonlySet<string> = new Set(Object.values(ErrorCodes));

/** True when `code` is one of remora's own codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && codeSet.has(code);
}

/**
 * Base class of every error remora raises. `code` is stable across versions; `message` says
 * what happened and what to do and may change.
 */
export class RemoraError extends Error {
  /** The stable code (see `docs/errors.md`). */
  readonly code: string;
  /** remora's own classification; equals `code` except on {@link RemoteError}. */
  readonly remoraCode: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.remoraCode = code;
    this.name = 'RemoraError';
  }
}

/**
 * An exception thrown by a main-side object, rebuilt on the caller's side with the original
 * `name`, `message`, `stack`, `code` and own enumerable properties. `remoraCode` is always
 * `E_TARGET_THREW`; `code` is the original error's code when it had one (e.g. `ENOENT`).
 */
export class RemoteError extends RemoraError {
  constructor(name: string, message: string, stack: string | undefined, code: string | undefined) {
    super(ErrorCodes.E_TARGET_THREW, message);
    this.name = name;
    (this as { code: string }).code = code ?? ErrorCodes.E_TARGET_THREW;
    if (stack !== undefined) this.stack = stack;
  }
}

/**
 * True when `e` is a remora error, optionally with the given remora code.
 * @example
 * ```ts
 * if (isRemoraError(err, 'E_CLOSED')) showReconnectBanner()
 * ```
 */
export function isRemoraError(e: unknown, code?: ErrorCode): e is RemoraError {
  return e instanceof RemoraError && (code === undefined || e.remoraCode === code);
}

/** Shorthand constructors with messages that say what to do. */
export const errors = {
  protocol: (what: string) =>
    new RemoraError('E_PROTOCOL', `Protocol violation: ${what}. The frame was refused; check that both sides run the same remora version.`),
  denied: (what: string) =>
    new RemoraError('E_DENIED', `Denied: ${what}. Main must expose it explicitly (see docs/security.md).`),
  noObject: (id: unknown) =>
    new RemoraError('E_NO_OBJECT', `No object with ref ${String(id)} in this session: it was released, never issued, or belongs to another renderer.`),
  closed: (why = 'the connection closed') =>
    new RemoraError('E_CLOSED', `Closed: ${why}. Pending calls were rejected; reconnect to continue.`),
  timeout: (ms: number, what = 'call') =>
    new RemoraError('E_TIMEOUT', `The ${what} did not settle within ${ms} ms. Raise the timeout with withOptions(handle, { timeout }) or check the main-side handler.`),
  aborted: (reason?: unknown) =>
    new RemoraError('E_ABORTED', `The call was aborted by its AbortSignal${reason === undefined ? '' : ` (${String(reason)})`}.`, { cause: reason }),
  released: () =>
    new RemoraError('E_RELEASED', 'This handle was disposed; obtain a new one from its parent object.'),
  badValue: (what: string) =>
    new RemoraError('E_BAD_VALUE', `Cannot send ${what} across the wire. Send plain data, or a value main exposes by reference.`),
};
