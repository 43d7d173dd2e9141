/**
 * The decoder: turns a wire value (layout in `tags.ts`) back into a JavaScript value, checking
 * every tag's shape and charging the frame's depth and byte budgets as it goes. Each tag has
 * one reader in {@link READERS}; the reference tags are resolved by the side's
 * {@link DecodeHost}.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { copyErrorExtras, type RemoraError } from '../errors.js';
import { decodeBinary } from './binary.js';
import { isReferenceTag, referenceIdOf, Tag, type WireTagged } from './tags.js';

/** Limits the decoder enforces on inbound values. */
export interface DecodeLimits {
  /** Deepest nesting accepted. Default 64. */
  maxDepth: number;
  /** Approximate byte budget for one frame's values (strings by length, binary by size). Default 16 MiB. */
  maxBytes: number;
}

/** Default decode limits. */
export const defaultDecodeLimits: DecodeLimits = { maxDepth: 64, maxBytes: 16 * 1024 * 1024 };

/** What the decoder asks its side about reference tags (`r`, `h`, `c`, `p`). */
export interface DecodeHost {
  /** Resolve a reference tag, or throw a RemoraError when the tag is not valid on this side. */
  reference(tag: string, value: WireTagged): unknown;
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

const tooLarge = (limits: DecodeLimits): RemoraError => errors.frameTooLarge({ maxBytes: limits.maxBytes });
const bad = (what: string): RemoraError => errors.malformedValue({ what });

/**
 * Keys that would shadow how a value becomes a primitive (`String(v)`, `a + b`, template
 * literals). Decoded data must be inert: converting it never throws and never runs the
 * sender's code, so a handler's `a + b` cannot fail because of what a caller sent (issue 16,
 * item 4). Such keys are refused as the sender's fault (`E_BAD_VALUE`).
 */
const COERCION_KEYS: ReadonlySet<string> = new Set(['toString', 'valueOf']);
const coercionKey = (k: string): RemoraError =>
  errors.badValue({ what: `an object with its own "${k}" key (it would break turning the value into text)` });

// Null prototype: a name like "constructor" or "toString" must not find Object.prototype members.
const SPECIAL_NUMBERS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 });

/** Reads the payload of one tag; `depth` is the tagged value's own depth. */
type TagReader = (d: Decoder, w: WireTagged, depth: number) => unknown;

/** One reader per copied tag (the reference tags go to the host). Null prototype: only own letters match. */
const READERS: Record<string, TagReader> = Object.assign(Object.create(null) as Record<string, TagReader>, {
  [Tag.undefined]: () => undefined,
  [Tag.number]: (_d: Decoder, w: WireTagged) => {
    const v = SPECIAL_NUMBERS[w[1] as string];
    if (v === undefined || typeof w[1] !== 'string') throw bad('special number');
    return v;
  },
  [Tag.bigint]: (d: Decoder, w: WireTagged) => {
    if (typeof w[1] !== 'string' || !/^-?\d{1,10000}$/.test(w[1])) throw bad('bigint');
    d.charge(w[1].length);
    return BigInt(w[1]);
  },
  [Tag.array]: (d: Decoder, w: WireTagged, depth: number) => {
    const out: unknown[] = d.container(new Array(w.length - 1));
    for (let i = 1; i < w.length; i++) out[i - 1] = d.any(w[i], depth);
    return out;
  },
  [Tag.object]: (d: Decoder, w: WireTagged, depth: number) => {
    if ((w.length & 1) === 0) throw bad('object with odd entries');
    const out: Record<string, unknown> = d.container(w[0] === Tag.bareObject ? Object.create(null) : {});
    for (let i = 1; i < w.length; i += 2) {
      const k = w[i];
      if (typeof k !== 'string') throw bad('object key');
      if (k === '__proto__') throw errors.protocol({ what: 'a "__proto__" key in data is refused (prototype pollution)' });
      if (COERCION_KEYS.has(k)) throw coercionKey(k);
      d.charge(k.length);
      out[k] = d.any(w[i + 1], depth);
    }
    return out;
  },
  [Tag.bareObject]: (d: Decoder, w: WireTagged, depth: number) => READERS[Tag.object]!(d, w, depth),
  [Tag.regexp]: (d: Decoder, w: WireTagged) => readRegExp(d, w),
  [Tag.backRef]: (d: Decoder, w: WireTagged) => d.backRef(w[1]),
  [Tag.date]: (_d: Decoder, w: WireTagged) => {
    const t = w[1];
    if (t === 'NaN') return new Date(NaN);
    if (typeof t !== 'number') throw bad('date');
    return new Date(t);
  },
  [Tag.map]: (d: Decoder, w: WireTagged, depth: number) => {
    if ((w.length & 1) === 0) throw bad('map with odd entries');
    const out = d.container(new Map<unknown, unknown>());
    for (let i = 1; i < w.length; i += 2) out.set(d.any(w[i], depth), d.any(w[i + 1], depth));
    return out;
  },
  [Tag.set]: (d: Decoder, w: WireTagged, depth: number) => {
    const out = d.container(new Set<unknown>());
    for (let i = 1; i < w.length; i++) out.add(d.any(w[i], depth));
    return out;
  },
  [Tag.binary]: (d: Decoder, w: WireTagged) => decodeBinary(w, (n) => d.charge(n)),
  [Tag.error]: (d: Decoder, w: WireTagged, depth: number) => readError(d, w, depth),
});

function readRegExp(d: Decoder, w: WireTagged): RegExp {
  const [, source, flags] = w;
  if (typeof source !== 'string' || typeof flags !== 'string' || !/^[dgimsuvy]{0,8}$/.test(flags)) throw bad('regexp');
  d.charge(source.length);
  try {
    return new RegExp(source, flags);
  } catch {
    throw bad('regexp');
  }
}

function readError(d: Decoder, w: WireTagged, depth: number): Error {
  const [, name, message, stack, code, props] = w;
  if (typeof name !== 'string' || typeof message !== 'string' || typeof stack !== 'string') throw bad('error');
  if (code !== null && typeof code !== 'string') throw bad('error code');
  d.charge(name.length + message.length + stack.length);
  const err = errorFromWire(name, message, stack, code ?? undefined);
  if (props !== null && props !== undefined) {
    const p = d.any(props, depth);
    if (p && typeof p === 'object') copyErrorExtras(p, err, { skip: ['toString', 'valueOf'], onlyAbsent: true });
  }
  return err;
}

function errorFromWire(name: string, message: string, stack: string, code: string | undefined): Error {
  const e = new Error(message);
  e.name = name;
  e.stack = stack;
  if (code !== undefined) (e as { code?: string }).code = code;
  return e;
}

/** One decoding pass: numbers containers as it builds them and keeps the byte count. */
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

  /** Spend `n` bytes of the frame's budget. */
  charge(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) throw tooLarge(this.limits);
  }

  /** Number a container (before its items are read, so they may point back at it). */
  container<T>(c: T): T {
    this.containers.push(c);
    return c;
  }

  /** Resolve `['#', idx]`. */
  backRef(idx: unknown): unknown {
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= this.containers.length) throw bad('back-reference');
    return this.containers[idx];
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
    if (depth > this.limits.maxDepth) throw errors.tooDeep({ maxDepth: this.limits.maxDepth });
    this.charge(8);
    const tag = w[0];
    const read = READERS[tag];
    if (read) return read(this, w, depth);
    if (isReferenceTag(tag)) {
      if (referenceIdOf(w) === undefined) throw bad(`reference id of tag ${tag}`);
      return this.host.reference(tag, w);
    }
    throw bad(`unknown tag ${JSON.stringify(String(tag).slice(0, 8))}`);
  }
}
