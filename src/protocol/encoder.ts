/**
 * The encoder: turns a JavaScript value into a wire value (layout in `tags.ts`). Plain data is
 * copied; what cannot be copied is handed to the side's {@link EncodeHost}, which decides
 * whether it travels by reference or is refused.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import { copyErrorExtras, ERROR_OWN_KEYS } from '../errors.js';
import { encodeArrayBuffer, encodeView, viewsWholeBuffer, type BinaryMode } from './binary.js';
import { hasFunctionProps, isBareWire, isPlainArray, isPlainObject, isThenable } from './classify.js';
import { backRefTag, Tag, type Wire, type WireTagged } from './tags.js';
import { type ErrorStacks, readThrown, stackToSend } from './thrown.js';
import { TransferMark } from './transfer.js';

/** Error keys never sent as extras: the error's own fields, and keys no decoder accepts in data. */
const EXTRAS_SKIP: readonly string[] = [...ERROR_OWN_KEYS, 'toString', 'valueOf'];

/** What the encoder asks its side about values that do not travel by copy. */
export interface EncodeHost {
  /** Encode a function, class instance or other non-plain object; `undefined` means "not allowed". */
  byReference(value: object): WireTagged;
  /** Encode a thenable found inside a value. */
  promise?(value: PromiseLike<unknown>): WireTagged;
  /** Plain objects that hold functions: copy them (renderer) or send them by reference (main). */
  readonly plainWithFunctions: 'copy' | 'ref';
  readonly binary: BinaryMode;
  /**
   * Binary mode `structured` only (without it `structured` copies like `clone`): called at the
   * end of an encoding that handed the transport bytes uncopied, with the buffers marked for
   * transfer (see `transfer.ts`). The frame being encoded must then leave at once, before the
   * caller can change those bytes, and move `transfer` in its message's transfer list.
   */
  sendNow?(transfer: readonly ArrayBuffer[]): void;
  /**
   * Whether encoded errors keep their stack (`full`, the default) or travel without it
   * (`strip`: a page never sees main's file paths). See docs/security.md, "Error stacks".
   */
  readonly errorStacks?: ErrorStacks;
}

/** Encode one value. Throws `E_BAD_VALUE` for values that cannot travel (symbols). */
export function encode(value: unknown, host: EncodeHost): Wire {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value) && !(value === 0 && 1 / value < 0)) return value;
      return [Tag.number, Object.is(value, -0) ? '-0' : String(value)];
    case 'undefined':
      return [Tag.undefined];
    case 'bigint':
      return [Tag.bigint, value.toString()];
    case 'symbol':
      throw errors.badValue({ what: `a symbol (${String(value)})` });
    default: {
      if (value === null) return null;
      const enc = new Encoder(host);
      const w = enc.value(value as object);
      enc.finish();
      return w;
    }
  }
}

/** Encode an argument list (fast path: primitives are not walked). */
export function encodeArgs(args: readonly unknown[], host: EncodeHost): Wire[] {
  const out = new Array<Wire>(args.length);
  let enc: Encoder | undefined;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    const t = typeof v;
    if (isBareWire(v)) out[i] = v as Wire;
    else if (t === 'object' || t === 'function') out[i] = (enc ??= new Encoder(host)).value(v as object);
    else out[i] = encode(v, host);
  }
  enc?.finish();
  return out;
}

/** One encoding pass: numbers containers as it meets them, so repeats become back-references. */
class Encoder {
  private readonly seen = new Map<object, number>();
  /** Errors being encoded now (errors are not numbered containers, so cycles through them are cut here). */
  private readonly errors = new Set<object>();
  /** Binary handed over uncopied (mode `structured` with a `sendNow` host only). */
  private readonly direct: boolean;
  private uncopied = false;
  /** Buffers marked for transfer (see `transfer.ts`), when the transport can move them. */
  private moved: ArrayBuffer[] | undefined;
  constructor(private readonly host: EncodeHost) {
    this.direct = host.binary === 'structured' && host.sendNow !== undefined;
  }

  /** End of the pass: tell the host when bytes went uncopied, so their frame leaves now. */
  finish(): void {
    if (this.uncopied) this.host.sendNow!(this.moved ?? []);
  }

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
    if (idx !== undefined) return backRefTag(idx);
    if (isPlainArray(v)) {
      const out = this.container(v, Tag.array);
      for (let i = 0; i < v.length; i++) out.push(this.any(v[i]));
      return out;
    }
    if (isPlainObject(v)) {
      if (this.host.plainWithFunctions === 'ref' && hasFunctionProps(v)) return this.host.byReference(v);
      const out = this.container(v, Object.getPrototypeOf(v) === null ? Tag.bareObject : Tag.object);
      for (const k of Object.keys(v)) out.push(k, this.any((v as Record<string, unknown>)[k]));
      return out;
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return [Tag.date, Number.isNaN(t) ? 'NaN' : t];
    }
    if (v instanceof Map && Object.getPrototypeOf(v) === Map.prototype) {
      const out = this.container(v, Tag.map);
      for (const [k, val] of v) out.push(this.any(k), this.any(val));
      return out;
    }
    if (v instanceof Set && Object.getPrototypeOf(v) === Set.prototype) {
      const out = this.container(v, Tag.set);
      for (const item of v) out.push(this.any(item));
      return out;
    }
    if (ArrayBuffer.isView(v)) {
      const asIs = this.direct && (viewsWholeBuffer(v) || this.moved?.includes(v.buffer as ArrayBuffer) === true);
      if (asIs) this.uncopied = true;
      return encodeView(v, this.direct ? 'structured' : this.binaryCopy(), asIs);
    }
    if (v instanceof ArrayBuffer) {
      if (this.direct) this.uncopied = true;
      return encodeArrayBuffer(v, this.direct ? 'structured' : this.binaryCopy());
    }
    if (v instanceof Error) return this.error(v);
    if (v instanceof TransferMark) return this.transferred(v);
    if (v instanceof RegExp) return [Tag.regexp, v.source, v.flags];
    if (isThenable(v) && this.host.promise) {
      return this.host.promise(v);
    }
    return this.host.byReference(v);
  }

  /** How binary is copied when it cannot go as it is: `structured` without a `sendNow` host copies like `clone`. */
  private binaryCopy(): BinaryMode {
    return this.host.binary === 'base64' ? 'base64' : 'clone';
  }

  /** A value marked with `transfer()`: its buffers are moved where the transport can, else it is copied. */
  private transferred(m: TransferMark): Wire {
    if (this.direct) {
      for (const b of m.buffers) if (!(this.moved ??= []).includes(b)) this.moved.push(b);
      this.uncopied = true;
    }
    return this.any(m.value);
  }

  /** Number a container and start its tagged array. */
  private container(v: object, tag: string): WireTagged {
    this.seen.set(v, this.seen.size);
    return [tag];
  }

  /**
   * An error: its fields read totally (a throwing getter or a value that cannot become text
   * never escapes), its extra own properties when they can travel, else none.
   */
  private error(e: Error): WireTagged {
    const f = readThrown(e);
    // An error inside its own extras (e.cause = e, e.self = e) travels bare the second time.
    const cyclic = this.errors.has(e);
    this.errors.add(e);
    try {
      return [Tag.error, f.name, f.message, stackToSend(f, this.host.errorStacks), f.code, cyclic ? null : this.extras(e)];
    } finally {
      if (!cyclic) this.errors.delete(e);
    }
  }

  /** The error's extras, or null when it has none or they cannot be read or encoded. */
  private extras(e: Error): Wire | null {
    const mark = this.seen.size;
    try {
      const props: Record<string, unknown> = {};
      return copyErrorExtras(e, props, { skip: EXTRAS_SKIP, values: 'data' }) > 0 ? this.value(props) : null;
    } catch {
      // Forget containers numbered by the failed attempt: they were never emitted.
      for (const [k, i] of this.seen) if (i >= mark) this.seen.delete(k);
      return null;
    }
  }
}
