/**
 * How errors cross the wire: a thrown value becomes an encoded error on the main side, and a
 * decoded error becomes the caller-facing {@link RemoraError} or {@link RemoteError}.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { copyErrorExtras, isErrorCode, RemoteError } from '../errors.js';
import { encode, type EncodeHost } from './encoder.js';
import type { Wire } from './tags.js';

/** Encode anything thrown as a wire error (non-Error throws are wrapped, keeping their text). */
export function encodeThrown(thrown: unknown, host: EncodeHost): Wire {
  let err: Error;
  if (thrown instanceof Error) err = thrown;
  else {
    err = new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${safeString(thrown)}`);
    err.name = 'Error';
  }
  try {
    return encode(err, host);
  } catch {
    // Own props that cannot travel: send the essentials only.
    const bare = new Error(err.message);
    bare.name = err.name;
    bare.stack = err.stack;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') (bare as { code?: string }).code = code;
    return encode(bare, host);
  }
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}

/**
 * Turn an error decoded from a `fail` frame into what the caller sees: remora's own failures
 * as {@link RemoraError} with their code, anything else as {@link RemoteError}.
 */
export function toCallerError(decoded: unknown): Error {
  if (!(decoded instanceof Error)) return new RemoteError('Error', safeString(decoded), undefined, undefined);
  const code = (decoded as { code?: unknown }).code;
  if (decoded.name === 'RemoraError' && isErrorCode(code)) {
    const e = errors.of(code, decoded.message);
    copyErrorExtras(decoded, e);
    return e;
  }
  const e = new RemoteError(decoded.name, decoded.message, decoded.stack, typeof code === 'string' ? code : undefined);
  copyErrorExtras(decoded, e);
  return e;
}
