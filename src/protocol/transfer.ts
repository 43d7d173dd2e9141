/**
 * Zero-copy binary: `transfer(value, [buffers])` marks the ArrayBuffers of a value to be moved
 * to the other side instead of copied (the idea of Comlink's `transfer`). On a transport that
 * can transfer (binary mode `structured`: a worker's MessagePort) the buffers go in the
 * message's transfer list: after the send they are detached on the sender (byteLength 0) and
 * the receiver gets them without a copy. A transport that cannot transfer (WebSocket, the
 * in-memory pair) ignores the mark and copies the value as always.
 *
 * The mark is a wrapper the encoder unwraps; it carries no state of its own (no registry, so
 * nothing is shared between connections or kept alive by a mark never sent).
 * @packageDocumentation
 */

/** The wrapper {@link transfer} returns (typed as the value it wraps). @internal */
export class TransferMark {
  constructor(
    /** The value to send. */
    readonly value: unknown,
    /** The buffers to move rather than copy. */
    readonly buffers: readonly ArrayBuffer[],
  ) {}
}

/**
 * Send `value` with `buffers` moved, not copied, where the transport can (a worker thread):
 * they are detached on this side once the message leaves (at the end of the current tick)
 * and arrive without a copy. Elsewhere the value is copied as usual. Use it as an argument of
 * a call (renderer) or as what a method returns (main).
 * @param value the value to send: an ArrayBuffer, a typed array, or plain data holding them.
 * @param buffers the ArrayBuffers to move (each must be one `value` holds; a typed array is
 *   moved whole with the buffer it views).
 * @example
 * ```ts
 * import { transfer } from 'remora/renderer';
 * const pixels = new Uint8Array(1920 * 1080 * 4);
 * await api.upload(transfer(pixels, [pixels.buffer])); // pixels.byteLength is 0 afterwards
 * ```
 */
export function transfer<T>(value: T, buffers: readonly ArrayBuffer[]): T {
  if (!Array.isArray(buffers) || !buffers.every((b) => b instanceof ArrayBuffer)) {
    throw new TypeError('transfer(value, buffers) expects an array of ArrayBuffers (a SharedArrayBuffer is shared, never moved).');
  }
  return new TransferMark(value, buffers) as unknown as T;
}
