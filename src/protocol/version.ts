/**
 * The protocol version and what a mismatch looks like: main answers a hello of another version
 * with a `bye` whose `code` is `E_VERSION`, and the renderer recognises it by that code (never
 * by the wording of the reason).
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { isRemoraError, type RemoraError } from '../errors.js';
import type { ByeFrame } from './frame-types.js';

/** The protocol version both sides must agree on in the handshake. */
export const PROTOCOL_VERSION = 3;

/** The `bye` main sends a renderer that said hello with protocol version `rendererVersion`. */
export function versionMismatchFrame(rendererVersion: number): ByeFrame {
  return { t: 'bye', reason: `E_VERSION: renderer speaks protocol ${rendererVersion}, main speaks ${PROTOCOL_VERSION}`, code: 'E_VERSION' };
}

/** True for an `E_VERSION` error, or a `bye` frame that carries the `E_VERSION` code. */
export function isVersionMismatch(x: unknown): boolean {
  if (isRemoraError(x, 'E_VERSION')) return true;
  return typeof x === 'object' && x !== null && (x as { t?: unknown }).t === 'bye' && (x as { code?: unknown }).code === 'E_VERSION';
}

/**
 * What calls pending on a session that main ended with `bye` fail with: `E_VERSION` after a
 * refused handshake, else `E_CLOSED` with main's reason.
 */
export function byeError(bye: ByeFrame): RemoraError {
  return isVersionMismatch(bye) ? errors.version({ detail: bye.reason }) : errors.closed(bye.reason);
}
