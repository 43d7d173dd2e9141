/**
 * Decoding what a renderer sends (arguments, values to set, subscription arguments) for the
 * actor that will receive it. A handed-back ref (`h`) becomes the held object again; a
 * renderer callback (`c`) becomes a proxy made for that actor. The actor is an argument of
 * each decode, never a field set beforehand; the decode host of each actor is made once per
 * session and kept (requests do not pay for a host and a closure each).
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import { decode, decodeArgs, type DecodeHost, type DecodeLimits, type WireTagged } from '../protocol/index.js';
import type { CallbackTable } from './callbacks.js';
import type { Pipeline } from './pipeline.js';

/** The decoder of one session's inbound values. */
export class ValueDecoder {
  private readonly hosts = new WeakMap<Actor, DecodeHost>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly callbacks: CallbackTable,
    private readonly limits: DecodeLimits,
  ) {}

  /** Decode an argument list for `owner`. */
  args(wires: unknown, owner: Actor): unknown[] {
    return decodeArgs(wires, this.hostFor(owner), this.limits);
  }

  /** Decode one value for `owner`. */
  value(wire: unknown, owner: Actor): unknown {
    return decode(wire, this.hostFor(owner), this.limits);
  }

  private hostFor(owner: Actor): DecodeHost {
    let host = this.hosts.get(owner);
    if (!host) {
      host = { reference: (tag, w) => this.reference(tag, w, owner) };
      this.hosts.set(owner, host);
    }
    return host;
  }

  private reference(tag: string, w: WireTagged, owner: Actor): unknown {
    const id = w[1] as number;
    if (tag === 'h') {
      const e = this.pipeline.held(id, 'arg', 0);
      return e.root ? e.actor.instance : e.value;
    }
    if (tag === 'c') return this.callbacks.proxyFor(id, owner, w[2]);
    throw errors.tagNotValid({ tag, from: 'a renderer' });
  }
}
