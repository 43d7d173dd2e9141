/**
 * How values cross this renderer's boundary: the encode host (plain data is copied, functions
 * become callbacks, handles become `['h', id]`) and one decode host per handle flavour (a
 * received ref becomes a handle of that flavour, a promise a pending call main settles later).
 *
 * The hosts are made once per connection (and per flavour), not per value. Values from main
 * are trusted: decoding only guards recursion depth.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import {
  callbackTag, decode, decodeArgs, encode, encodeArgs, readRefTag, Tag,
  type BinaryMode, type DecodeHost, type EncodeHost, type Wire, type WireTagged,
} from '../protocol/index.js';
import type { Callbacks } from './callbacks.js';
import type { Lifetime, RefState } from './lifetime.js';
import { PendingCall, type PendingCalls } from './pending-calls.js';

/** Decode limits for values from main (trusted side: only a recursion guard). */
export const FROM_MAIN_LIMITS = { maxDepth: 1024, maxBytes: Number.MAX_SAFE_INTEGER };

/** Encodes a handle passed as an argument as `['h', id]`; undefined when `v` is not a handle of its kind. */
export type HandleEncoder = (v: object) => WireTagged | undefined;

/** Decoding as inbound frames use it (see inbound.ts). */
export interface ValueDecoding {
  /** The host for values that arrive outside a call (stream values, callback arguments): async handles. */
  readonly eventHost: DecodeHost;
  /** Decode one value with `host`. */
  decode(w: unknown, host: DecodeHost): unknown;
  /** Decode an argument list with `host`. */
  decodeArgs(w: unknown, host: DecodeHost): unknown[];
}

/** What the hosts of one connection work with. `F` is a handle flavour (see `HandleFactory`). */
export interface ValueHostsParts<F> {
  /** How binary data travels on the transport. */
  readonly binary: BinaryMode;
  /** Mode `structured`: the frame being encoded must leave at once, moving `transfer` (see `EncodeHost.sendNow`). */
  readonly sendNow?: (transfer: readonly ArrayBuffer[]) => void;
  /** Encoders of the handle modules, tried in order. */
  readonly handleEncoders: readonly HandleEncoder[];
  /** Functions passed to main are registered here. */
  readonly callbacks: Callbacks;
  /** Refs received are recorded here. */
  readonly lifetime: Lifetime;
  /** Promises received become calls here. */
  readonly calls: PendingCalls;
  /** Make (or find) the handle of `flavour` for a ref received. */
  readonly makeHandle: (flavour: F, state: RefState) => unknown;
  /** The flavour of {@link ValueDecoding.eventHost}. */
  readonly eventFlavour: F;
}

/** The encode host and the decode hosts of one connection. */
export class ValueHosts<F extends object> implements ValueDecoding {
  private readonly encodeHost: EncodeHost;
  private readonly decodeHosts = new Map<F, DecodeHost>();
  /** The decode host of the event flavour (see {@link ValueDecoding.eventHost}). */
  readonly eventHost: DecodeHost;

  constructor(private readonly parts: ValueHostsParts<F>) {
    this.encodeHost = {
      plainWithFunctions: 'copy',
      binary: parts.binary,
      byReference: (v) => this.byReference(v),
      sendNow: parts.sendNow,
    };
    this.eventHost = this.hostFor(parts.eventFlavour);
  }

  /** Encode call arguments (functions become callbacks, handles become refs). */
  encodeArgs(args: readonly unknown[]): Wire[] {
    return encodeArgs(args, this.encodeHost);
  }

  /** Encode one value. */
  encode(v: unknown): Wire {
    return encode(v, this.encodeHost);
  }

  private byReference(v: object): WireTagged {
    for (const encodeHandle of this.parts.handleEncoders) {
      const h = encodeHandle(v);
      if (h) return h;
    }
    if (typeof v === 'function') return callbackTag(this.parts.callbacks.sent(v as (...a: unknown[]) => unknown), arityOf(v));
    throw errors.of('E_BAD_VALUE', `Cannot send ${kindName(v)} from a renderer: only plain data, functions and remote handles travel. Copy it into a plain object.`);
  }

  /** Decode a value from main with `host`. */
  decode(w: unknown, host: DecodeHost): unknown {
    // Fast path: primitives travel as themselves (most replies and stream values).
    if (w === null || (typeof w !== 'object' && typeof w !== 'function')) return w;
    return decode(w, host, FROM_MAIN_LIMITS);
  }

  /** Decode an argument list from main with `host`. */
  decodeArgs(w: unknown, host: DecodeHost): unknown[] {
    return decodeArgs(w, host, FROM_MAIN_LIMITS);
  }

  /** The decode host of a flavour (made once). */
  hostFor(flavour: F): DecodeHost {
    let host = this.decodeHosts.get(flavour);
    if (!host) {
      host = this.makeDecodeHost(flavour);
      this.decodeHosts.set(flavour, host);
    }
    return host;
  }

  private makeDecodeHost(flavour: F): DecodeHost {
    const { lifetime, calls, makeHandle } = this.parts;
    const host: DecodeHost = {
      reference: (tag, w) => {
        if (tag === Tag.ref) {
          const r = readRefTag(w);
          return makeHandle(flavour, lifetime.received(r.id, r.kind, r.methods, r.ownKeys, r.protoLevels));
        }
        if (tag === Tag.promise) {
          // A promise inside a value: main settles it later as a call of its own id.
          const call = new PendingCall({ id: w[1] as number, t: 'promise' }, Number.POSITIVE_INFINITY, host);
          call.sent = true;
          calls.add(call);
          return call.promise;
        }
        throw errors.tagNotValid({ tag, from: 'main' });
      },
    };
    return host;
  }
}

/** A function's declared arity for its callback tag, at most 64; 0 when it is not a plain number (a foreign or revoked Proxy). */
function arityOf(fn: object): number {
  let n: unknown;
  try {
    n = (fn as { length?: unknown }).length;
  } catch {
    return 0;
  }
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? Math.min(n, 64) : 0;
}

/** What an unsendable object is, for the message: `a Widget object`, `an instance of an anonymous class`, `a RegExp`... */
function kindName(v: object): string {
  let name: unknown;
  try {
    name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    name = undefined;
  }
  if (typeof name === 'string' && name !== '') return `a ${name} object`;
  return typeof (v as { constructor?: unknown }).constructor === 'function' ? 'an instance of an anonymous class' : 'a non-plain object';
}
