/**
 * Binary data on the wire (`['t', typeName, data]`): which views travel, how their bytes are
 * copied (structured clone) or written as base64 (JSON transports), and how a view is rebuilt
 * with its element alignment. Inbound bytes on a SharedArrayBuffer are copied, so the receiver
 * always gets a snapshot. Works in Node (Buffer) and in browsers.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { Tag, type WireTagged } from './tags.js';

/**
 * How binary data travels: `clone`, a copy of the bytes the transport may clone again (any
 * transport that carries typed arrays); `structured`, the bytes themselves, for a transport
 * that structured-clones each message as it sends it and can transfer buffers (a worker's
 * MessagePort: one copy, the transport's, or none for transferred buffers); `base64`, text
 * (JSON transports).
 */
export type BinaryMode = 'clone' | 'base64' | 'structured';

const TYPED: Record<string, new (buf: ArrayBufferLike, off: number, len: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView: DataView as never,
};

const hasBuffer = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function';
const NodeBuffer = (globalThis as unknown as { Buffer?: { isBuffer(v: unknown): boolean; from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;

const bad = (what: string) => errors.malformedValue({ what });

/**
 * Encode a typed array, DataView or Buffer. `asIs`: hand the transport the view's own bytes
 * (mode `structured`), which is only done for a view of a whole, unshared ArrayBuffer (else a
 * pooled Buffer's neighbours would travel with it) or of a buffer marked for transfer.
 * Throws `E_BAD_VALUE` for a view type that cannot travel.
 */
export function encodeView(v: ArrayBufferView, mode: BinaryMode, asIs = false): WireTagged {
  const name = NodeBuffer?.isBuffer(v) ? 'Buffer' : v.constructor.name;
  if (!(name in TYPED) && name !== 'Buffer') throw errors.badValue({ what: `a ${name}` });
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (mode === 'base64') return [Tag.binary, name, toBase64(bytes)];
  // Copy the bytes so a pooled Buffer's neighbours never travel with it.
  return [Tag.binary, name, asIs ? bytes : bytes.slice()];
}

/** True when a view covers the whole of an unshared ArrayBuffer (it can travel without a copy first). */
export function viewsWholeBuffer(v: ArrayBufferView): boolean {
  return v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
}

/** Encode an ArrayBuffer: copied (`clone`), as it is (`structured`: the transport copies or moves it) or as text. */
export function encodeArrayBuffer(v: ArrayBuffer, mode: BinaryMode): WireTagged {
  if (mode === 'base64') return [Tag.binary, 'ArrayBuffer', toBase64(new Uint8Array(v))];
  return [Tag.binary, 'ArrayBuffer', mode === 'structured' ? v : v.slice(0)];
}

/**
 * Rebuild the value of a `t` tag. `charge` is told the byte size before the view is made.
 * Throws `E_PROTOCOL` for an unknown type, bad data or a length that does not fit the type.
 */
export function decodeBinary(w: WireTagged, charge: (bytes: number) => void): unknown {
  const [, name, data] = w;
  if (typeof name !== 'string') throw bad('binary type');
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = fromBase64(data);
  else if (data instanceof Uint8Array) bytes = data;
  else if (data instanceof ArrayBuffer && name === 'ArrayBuffer') bytes = new Uint8Array(data);
  else throw bad('binary data');
  charge(bytes.byteLength);
  // Structured clone shares a SharedArrayBuffer instead of copying it: the sender could keep
  // writing under a handler that validated the bytes. Take a snapshot (slice copies into a
  // fresh, unshared ArrayBuffer) so what arrives is immutable from the sender's side.
  if (!(bytes.buffer instanceof ArrayBuffer)) bytes = bytes.slice();
  if (name === 'ArrayBuffer') {
    // The message's own buffer (a clone or a transfer, this side's alone) is the value: no copy.
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  if (name === 'Buffer') return hasBuffer && NodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  if (name === 'Uint8Array') return bytes;
  const Ctor = Object.prototype.hasOwnProperty.call(TYPED, name) ? TYPED[name] : undefined;
  if (!Ctor) throw bad(`binary type ${name.slice(0, 32)}`);
  const per = (Ctor as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (bytes.byteLength % per !== 0) throw bad('binary length');
  // Align: copy into a fresh buffer so the view's offset is a multiple of its element size.
  const copy = bytes.byteOffset % per === 0 ? bytes : bytes.slice();
  return new Ctor(copy.buffer, copy.byteOffset, per === 1 || name === 'DataView' ? copy.byteLength : copy.byteLength / per);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64-encode bytes (works in Node and browsers). */
export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return (NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as { toString(enc: string): string }).toString('base64');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + '=';
  }
  return out;
}

/** Base64-decode to bytes. Throws `E_PROTOCOL` on malformed input. */
export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw bad('base64');
  if (NodeBuffer) {
    const b = (NodeBuffer as unknown as { from(s: string, enc: string): Uint8Array }).from(s, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
  }
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
