/**
 * The value codec: turns JavaScript values into wire values and back.
 *
 * A wire value is JSON-shaped and structured-clone-safe: `null`, booleans, finite numbers
 * and strings travel as themselves; everything else is an array whose first element is a
 * one-letter tag. Containers (`a` array, `o` object, `m` Map, `s` Set) are numbered in the
 * order they are first met, so a later `['#', n]` points back at container `n`: cycles and
 * shared subtrees survive the trip.
 *
 * | tag | value | layout |
 * |-----|-------|--------|
 * | `u` | undefined | `['u']` |
 * | `n` | NaN, ±Infinity, -0 | `['n', 'NaN' \| 'Infinity' \| '-Infinity' \| '-0']` |
 * | `b` | BigInt | `['b', '123']` |
 * | `a` | array | `['a', ...items]` |
 * | `o` | plain object | `['o', k1, v1, k2, v2, ...]` |
 * | `#` | back-reference | `['#', containerIndex]` |
 * | `d` | Date | `['d', ms \| 'NaN']` |
 * | `m` | Map | `['m', k1, v1, ...]` |
 * | `s` | Set | `['s', ...items]` |
 * | `t` | typed array, Buffer, ArrayBuffer | `['t', typeName, data]` (data: the view, or base64) |
 * | `e` | Error | `['e', name, message, stack, code, props]` |
 * | `r` | main object by reference | `['r', refId, kind, methods?]` |
 * | `h` | a main object handed back | `['h', refId]` |
 * | `c` | a renderer callback | `['c', callbackId]` |
 * | `p` | a promise settled later | `['p', replyId]` |
 *
 * @packageDocumentation
 */
import { RemoraError } from '../errors.js';

/** A value on the wire. */
export type Wire = null | boolean | number | string | WireTagged;
/** A tagged wire value: `[tag, ...payload]`. */
export type WireTagged = [string, ...unknown[]];

/** Kinds of by-reference values: object, function (callable and constructible), observable. */
export type RefKind = 'o' | 'f' | 'x';

/** Limits the decoder enforces on inbound values. */
export interface DecodeLimits {
  /** Deepest nesting accepted. Default 64. */
  maxDepth: number;
  /** Approximate byte budget for one frame's values (strings by length, binary by size). Default 16 MiB. */
  maxBytes: number;
}

/** Default decode limits. */
export const defaultDecodeLimits: DecodeLimits = { maxDepth: 64, maxBytes: 16 * 1024 * 1024 };

/** How binary data travels: as the typed array itself (structured clone) or base64 text (JSON). */
export type BinaryMode = 'clone' | 'base64';

/** What the encoder asks its side about values that do not travel by copy. */
export interface EncodeHost {
  /** Encode a function, class instance or other non-plain object; `undefined` means "not allowed". */
  byReference(value: object): WireTagged;
  /** Encode a thenable found inside a value. */
  promise?(value: PromiseLike<unknown>): WireTagged;
  /** Plain objects that hold functions: copy them (renderer) or send them by reference (main). */
  readonly plainWithFunctions: 'copy' | 'ref';
  readonly binary: BinaryMode;
}

/** What the decoder asks its side about reference tags (`r`, `h`, `c`, `p`). */
export interface DecodeHost {
  /** Resolve a reference tag, or throw a RemoraError when the tag is not valid on this side. */
  reference(tag: string, value: WireTagged): unknown;
}

const TYPED: Record<string, new (buf: ArrayBufferLike, off: number, len: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView: DataView as never,
};

const hasBuffer = typeof (globalThis as { Buffer?: unknown }).Buffer === 'function';
const NodeBuffer = (globalThis as unknown as { Buffer?: { isBuffer(v: unknown): boolean; from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;

/** True for objects remora copies by value: plain objects (prototype Object.prototype or null). */
export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function hasFunctionProps(v: object): boolean {
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] === 'function') return true;
  return false;
}

/** Encode one value. Throws `E_BAD_VALUE` for values that cannot travel (symbols). */
export function encode(value: unknown, host: EncodeHost): Wire {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value) && !(value === 0 && 1 / value < 0)) return value;
      return ['n', Object.is(value, -0) ? '-0' : String(value)];
    case 'undefined':
      return ['u'];
    case 'bigint':
      return ['b', value.toString()];
    case 'symbol':
      throw new RemoraError('E_BAD_VALUE', `Cannot send a symbol (${String(value)}) across the wire.`);
    default:
      if (value === null) return null;
      return new Encoder(host).value(value as object);
  }
}

/** Encode an argument list (fast path: primitives are not walked). */
export function encodeArgs(args: readonly unknown[], host: EncodeHost): Wire[] {
  const out = new Array<Wire>(args.length);
  let enc: Encoder | undefined;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    const t = typeof v;
    if (t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v) && !Object.is(v, -0)) || v === null) {
      out[i] = v as Wire;
    } else if (t === 'object' || t === 'function') {
      out[i] = (enc ??= new Encoder(host)).value(v as object);
    } else {
      out[i] = encode(v, host);
    }
  }
  return out;
}

class Encoder {
  private readonly seen = new Map<object, number>();
  constructor(private readonly host: EncodeHost) {}

  any(v: unknown): Wire {
    switch (typeof v) {
      case 'object':
        return v === null ? null : this.value(v);
      case 'function':
        return this.host.byReference(v);
      default:
        return encode(v, this.host);
    }
  }

  value(v: object): Wire {
    if (typeof v === 'function') return this.host.byReference(v);
    const idx = this.seen.get(v);
    if (idx !== undefined) return ['#', idx];
    if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) {
      this.seen.set(v, this.seen.size);
      const out: WireTagged = ['a'];
      for (let i = 0; i < v.length; i++) out.push(this.any(v[i]));
      return out;
    }
    if (isPlainObject(v)) {
      if (this.host.plainWithFunctions === 'ref' && hasFunctionProps(v)) return this.host.byReference(v);
      this.seen.set(v, this.seen.size);
      const out: WireTagged = ['o'];
      for (const k of Object.keys(v)) out.push(k, this.any((v as Record<string, unknown>)[k]));
      return out;
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return ['d', Number.isNaN(t) ? 'NaN' : t];
    }
    if (v instanceof Map && Object.getPrototypeOf(v) === Map.prototype) {
      this.seen.set(v, this.seen.size);
      const out: WireTagged = ['m'];
      for (const [k, val] of v) out.push(this.any(k), this.any(val));
      return out;
    }
    if (v instanceof Set && Object.getPrototypeOf(v) === Set.prototype) {
      this.seen.set(v, this.seen.size);
      const out: WireTagged = ['s'];
      for (const item of v) out.push(this.any(item));
      return out;
    }
    if (ArrayBuffer.isView(v)) return this.binary(v);
    if (v instanceof ArrayBuffer) {
      return ['t', 'ArrayBuffer', this.host.binary === 'clone' ? v.slice(0) : toBase64(new Uint8Array(v))];
    }
    if (v instanceof Error) return this.error(v);
    if (typeof (v as PromiseLike<unknown>).then === 'function' && this.host.promise) {
      return this.host.promise(v as PromiseLike<unknown>);
    }
    return this.host.byReference(v);
  }

  private binary(v: ArrayBufferView): WireTagged {
    const name = NodeBuffer?.isBuffer(v) ? 'Buffer' : v.constructor.name;
    if (!(name in TYPED) && name !== 'Buffer') throw new RemoraError('E_BAD_VALUE', `Cannot send a ${name} across the wire.`);
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    if (this.host.binary === 'clone') {
      // Copy the bytes so a pooled Buffer's neighbours never travel with it.
      return ['t', name, bytes.slice()];
    }
    return ['t', name, toBase64(bytes)];
  }

  private error(e: Error): WireTagged {
    const props: Record<string, unknown> = {};
    let any = false;
    for (const k of Object.keys(e)) {
      if (k === 'code' || k === 'name' || k === 'message' || k === 'stack') continue;
      const val = (e as unknown as Record<string, unknown>)[k];
      if (typeof val === 'function' || typeof val === 'symbol') continue;
      props[k] = val;
      any = true;
    }
    const code = (e as { code?: unknown }).code;
    return [
      'e',
      String(e.name),
      String(e.message),
      typeof e.stack === 'string' ? e.stack : '',
      typeof code === 'string' || typeof code === 'number' ? String(code) : null,
      any ? this.value(props) : null,
    ];
  }
}

/** Decode one wire value. Throws `E_PROTOCOL`, `E_TOO_DEEP` or `E_FRAME_TOO_LARGE` on bad input. */
export function decode(wire: unknown, host: DecodeHost, limits: DecodeLimits = defaultDecodeLimits): unknown {
  switch (typeof wire) {
    case 'string':
      if (wire.length + 2 > limits.maxBytes) throw tooLarge(limits);
      return wire;
    case 'boolean':
    case 'number':
      return wire;
    default:
      if (wire === null) return null;
      return new Decoder(host, limits).any(wire, 0);
  }
}

/** Decode an argument list. */
export function decodeArgs(wires: unknown, host: DecodeHost, limits: DecodeLimits = defaultDecodeLimits): unknown[] {
  if (!Array.isArray(wires)) throw bad('args must be an array');
  const out = new Array<unknown>(wires.length);
  let dec: Decoder | undefined;
  let strings = 0;
  for (let i = 0; i < wires.length; i++) {
    const w = wires[i];
    const t = typeof w;
    if (t === 'string') {
      // Top-level string arguments count against the frame's byte budget too.
      strings += (w as string).length + 2;
      if (strings > limits.maxBytes) throw tooLarge(limits);
    }
    out[i] = t === 'string' || t === 'boolean' || t === 'number' || w === null ? w : (dec ??= new Decoder(host, limits, strings)).any(w, 0);
  }
  if (dec && dec.charged + strings - dec.initial > limits.maxBytes) throw tooLarge(limits);
  return out;
}

function tooLarge(limits: DecodeLimits): RemoraError {
  return new RemoraError('E_FRAME_TOO_LARGE', `A value exceeds the ${limits.maxBytes}-byte frame limit. Send smaller payloads or raise limits.maxFrameBytes.`);
}

function bad(what: string): RemoraError {
  return new RemoraError('E_PROTOCOL', `Protocol violation: malformed value (${what}).`);
}

// Null prototype: a name like "constructor" or "toString" must not find Object.prototype members.
const SPECIAL_NUMBERS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 });

class Decoder {
  private readonly containers: unknown[] = [];
  private bytes: number;
  /** Bytes already spent when this decoder started (top-level strings of an argument list). */
  readonly initial: number;
  constructor(private readonly host: DecodeHost, private readonly limits: DecodeLimits, initial = 0) {
    this.bytes = initial;
    this.initial = initial;
  }

  /** Bytes charged so far, including {@link initial}. */
  get charged(): number {
    return this.bytes;
  }

  private charge(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) throw tooLarge(this.limits);
  }

  any(w: unknown, depth: number): unknown {
    switch (typeof w) {
      case 'string':
        this.charge(w.length + 2);
        return w;
      case 'boolean':
        this.charge(1);
        return w;
      case 'number':
        this.charge(8);
        return w;
      case 'object':
        if (w === null) return null;
        if (Array.isArray(w) && typeof w[0] === 'string') return this.tagged(w as WireTagged, depth + 1);
        throw bad('untagged object');
      default:
        throw bad(`unexpected ${typeof w}`);
    }
  }

  private tagged(w: WireTagged, depth: number): unknown {
    if (depth > this.limits.maxDepth) {
      throw new RemoraError('E_TOO_DEEP', `A value nests deeper than ${this.limits.maxDepth} levels. Flatten it or raise limits.maxDepth.`);
    }
    this.charge(8);
    const n = w.length;
    switch (w[0]) {
      case 'u':
        return undefined;
      case 'n': {
        const v = SPECIAL_NUMBERS[w[1] as string];
        if (v === undefined || typeof w[1] !== 'string') throw bad('special number');
        return v;
      }
      case 'b':
        if (typeof w[1] !== 'string' || !/^-?\d{1,10000}$/.test(w[1])) throw bad('bigint');
        this.charge(w[1].length);
        return BigInt(w[1]);
      case 'a': {
        const out: unknown[] = new Array(n - 1);
        this.containers.push(out);
        for (let i = 1; i < n; i++) out[i - 1] = this.any(w[i], depth);
        return out;
      }
      case 'o': {
        if ((n & 1) === 0) throw bad('object with odd entries');
        const out: Record<string, unknown> = {};
        this.containers.push(out);
        for (let i = 1; i < n; i += 2) {
          const k = w[i];
          if (typeof k !== 'string') throw bad('object key');
          if (k === '__proto__') throw new RemoraError('E_PROTOCOL', 'Protocol violation: a "__proto__" key in data is refused (prototype pollution).');
          this.charge(k.length);
          out[k] = this.any(w[i + 1], depth);
        }
        return out;
      }
      case '#': {
        const idx = w[1];
        if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= this.containers.length) throw bad('back-reference');
        return this.containers[idx];
      }
      case 'd': {
        const t = w[1];
        if (t === 'NaN') return new Date(NaN);
        if (typeof t !== 'number') throw bad('date');
        return new Date(t);
      }
      case 'm': {
        if ((n & 1) === 0) throw bad('map with odd entries');
        const out = new Map<unknown, unknown>();
        this.containers.push(out);
        for (let i = 1; i < n; i += 2) out.set(this.any(w[i], depth), this.any(w[i + 1], depth));
        return out;
      }
      case 's': {
        const out = new Set<unknown>();
        this.containers.push(out);
        for (let i = 1; i < n; i++) out.add(this.any(w[i], depth));
        return out;
      }
      case 't':
        return this.binary(w);
      case 'e':
        return this.error(w, depth);
      case 'r':
      case 'h':
      case 'c':
      case 'p':
        if (typeof w[1] !== 'number' || !Number.isSafeInteger(w[1])) throw bad(`reference id of tag ${w[0]}`);
        return this.host.reference(w[0], w);
      default:
        throw bad(`unknown tag ${JSON.stringify(String(w[0]).slice(0, 8))}`);
    }
  }

  private binary(w: WireTagged): unknown {
    const [, name, data] = w;
    if (typeof name !== 'string') throw bad('binary type');
    let bytes: Uint8Array;
    if (typeof data === 'string') bytes = fromBase64(data);
    else if (data instanceof Uint8Array) bytes = data;
    else if (data instanceof ArrayBuffer && name === 'ArrayBuffer') bytes = new Uint8Array(data);
    else throw bad('binary data');
    this.charge(bytes.byteLength);
    if (name === 'ArrayBuffer') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
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

  private error(w: WireTagged, depth: number): Error {
    const [, name, message, stack, code, props] = w;
    if (typeof name !== 'string' || typeof message !== 'string' || typeof stack !== 'string') throw bad('error');
    if (code !== null && typeof code !== 'string') throw bad('error code');
    this.charge(name.length + message.length + stack.length);
    const err = errorFromWire(name, message, stack, code ?? undefined);
    if (props !== null && props !== undefined) {
      const p = this.any(props, depth);
      if (p && typeof p === 'object') {
        for (const [k, v] of Object.entries(p)) {
          if (k in err) continue;
          (err as unknown as Record<string, unknown>)[k] = v;
        }
      }
    }
    return err;
  }
}

function errorFromWire(name: string, message: string, stack: string, code: string | undefined): Error {
  const e = new Error(message);
  e.name = name;
  e.stack = stack;
  if (code !== undefined) (e as { code?: string }).code = code;
  return e;
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
