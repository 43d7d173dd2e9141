/**
 * The remora error family. Every failure remora reports is a {@link RemoraError} with a
 * stable `code`; `docs/errors.md` lists each code with what it means and what to do.
 * The code table, the classes, the factories and the extras copier live in `src/errors/`;
 * this is their one entry point.
 *
 * @example
 * ```ts
 * try { await api.save(doc) }
 * catch (e) { if (isRemoraError(e, 'E_TIMEOUT')) retryLater() }
 * ```
 * @packageDocumentation
 */
export { ErrorCodes, isErrorCode, type ErrorCode } from './errors/codes.js';
export {
  errorTable, errorCodeList, faultOf, isCallerFault, httpStatusOf, type ErrorCodeInfo, type Fault,
} from './errors/code-table.js';
export { RemoraError, RemoteError, isRemoraError, type RemoraErrorOptions } from './errors/remora-error.js';
/** The error factories, one per code or recurring wording: `errors.timeout(...)`, `errors.closed(...)`, ... */
export * as errors from './errors/factories.js';
export type { WhatDetails } from './errors/factories.js';
export { copyErrorExtras, ERROR_OWN_KEYS, ERROR_EXTRA_SKIP, type CopyExtrasOptions } from './errors/extras.js';
