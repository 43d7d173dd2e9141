/**
 * How errors cross the wire: a thrown value becomes an encoded error on the main side, and a
 * decoded error becomes the caller-facing {@link RemoraError} or {@link RemoteError}.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { copyErrorExtras, isErrorCode, RemoteError } from '../errors.js';
import { encode, type EncodeHost } from './encoder.js';
import { Tag, type Wire } from './tags.js';
import { readThrown, safeString, stackToSend } from './thrown.js';

/**
 * Encode anything thrown as a wire error; total: it never throws, whatever was thrown (a
 * revoked Proxy, a throwing getter, a null-prototype object). An Error travels with its
 * extras when they can; a non-Error travels as an error whose message is its text.
 */
export function encodeThrown(thrown: unknown, host: EncodeHost): Wire {
  const f = readThrown(thrown);
  if (f.isError) {
    try {
      return encode(thrown, host);
    } catch {
      // Fall through: the essentials, read once above, cannot fail to encode.
    }
  }
  const message = f.isError ? f.message : typeof thrown === 'string' ? thrown : `Non-error thrown: ${f.message}`;
  return [Tag.error, f.name, message, stackToSend({ ...f, message }, host.errorStacks), f.code, null];
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
