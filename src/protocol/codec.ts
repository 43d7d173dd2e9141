/**
 * The value codec's entry: the encoder, the decoder, the tagged-value layout they share, the
 * value classifiers and binary helpers. Import the value codec from here (or from the protocol
 * index); each part lives in its own file.
 * @packageDocumentation
 */
export { encode, encodeArgs, type EncodeHost } from './encoder.js';
export { decode, decodeArgs, defaultDecodeLimits, type DecodeHost, type DecodeLimits } from './decoder.js';
export { toBase64, fromBase64, type BinaryMode } from './binary.js';
export { isPlainObject } from './classify.js';
export type { Wire, WireTagged, RefKind } from './tags.js';
