/**
 * The remora error classes: {@link RemoraError} for remora's own failures and
 * {@link RemoteError} for an exception thrown by a main-side object. Construct them through
 * the factories in `factories.ts`; this file only defines what an error is.
 * @packageDocumentation
 */
import { ErrorCodes, type ErrorCode } from './codes.js';

/** Options of a {@link RemoraError}. */
export interface RemoraErrorOptions {
  /** The underlying cause (standard `Error.cause`). */
  cause?: unknown;
  /** Structured details of the failure (kept off the wire: a non-enumerable property). */
  details?: Readonly<Record<string, unknown>>;
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
  /**
   * Structured details given by the factory that made this error (for example `{ ms }` of a
   * timeout). Non-enumerable, so it never travels as an extra property.
   */
  declare readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options?: RemoraErrorOptions) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.remoraCode = code;
    this.name = 'RemoraError';
    if (options?.details) Object.defineProperty(this, 'details', { value: options.details, enumerable: false });
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
