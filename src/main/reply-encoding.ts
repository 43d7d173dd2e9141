/**
 * Reply encoding: turning what main sends a renderer (replies, callback arguments, stream
 * values, values of promises that settle later) into wire values, with the refs it creates.
 *
 * Every encoding is given the actor that owns the objects it meets: an object sent by
 * reference is entered in the session's ref table under that actor, so later operations on
 * the ref go through that actor's mailbox. The owner is an argument of each call, never a
 * field set beforehand. An encoding that throws gives back every ref it had added, so a value
 * that could not be sent leaves nothing behind in the ref table.
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import { encode, encodeThrown, isObjectLike, isPlainArray, isPlainObject, promiseTag, refKindOf, refsOf, refTag, toRenderer, type BinaryMode, type EncodeHost, type ErrorStacks, type MainFrame, type Wire, type WireTagged } from '../protocol/index.js';
import { checkValue, methodsOf, shapeOf } from './access.js';
import type { RefEntry, RefTable } from './ref-table.js';

/** What reply encoding asks of its session. */
export interface ReplyEncodingHost {
  /** True once the session ended (a promise settling later then sends nothing). */
  readonly closed: boolean;
  /** Queue a frame for the renderer. */
  send(frame: MainFrame): void;
  /** Binary mode `structured`: the frame being encoded must leave at once, moving `transfer` (see `EncodeHost.sendNow`). */
  sendNow?(transfer: readonly ArrayBuffer[]): void;
}


/** True for values that encode as themselves or a tag, creating no refs. */
function createsNoRefs(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');
}

/**
 * What a root is copied as: a primitive, a plain array (its elements by reference where they
 * must be, as Electron's `remote` sent arrays), or plain data all the way down: plain objects
 * whose own properties are data (no accessor, no function), dates, regexps, binary. Anything
 * that would travel by reference inside an object (a function, a class instance, an
 * Observable) keeps the whole root a ref. Bounded: a very large value stays a ref.
 */
function isPlainData(v: unknown): boolean {
  if (createsNoRefs(v)) return true;
  if (typeof v === 'object' && v !== null && isPlainArray(v)) return true;
  let budget = 10_000;
  const seen = new Set<object>();
  const data = (x: unknown): boolean => {
    if (createsNoRefs(x)) return true;
    if (typeof x !== 'object' || x === null || --budget < 0) return false;
    if (seen.has(x)) return true;
    seen.add(x);
    if (isPlainArray(x)) return x.every(data);
    if (x instanceof Date || x instanceof RegExp || ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return true;
    if (!isPlainObject(x)) return false;
    for (const d of Object.values(Object.getOwnPropertyDescriptors(x))) if (d.get || d.set || !data(d.value)) return false;
    return true;
  };
  return data(v);
}

/** One encoding in progress: its owner, and the refs it added (given back if it fails). */
class OwnedEncoding implements EncodeHost {
  readonly plainWithFunctions = 'ref';
  readonly added: RefEntry[] = [];

  constructor(
    private readonly encoder: ReplyEncoder,
    private readonly owner: Actor | undefined,
    readonly binary: BinaryMode,
    readonly errorStacks: ErrorStacks,
  ) {}

  sendNow(transfer: readonly ArrayBuffer[]): void {
    this.encoder.sendNow(transfer);
  }

  byReference(v: object): WireTagged {
    checkValue(v, 'a returned value');
    if (!this.owner) throw errors.of('E_BAD_VALUE', 'Cannot send an object by reference outside a call.');
    return this.encoder.refTo(v, this.owner, this.added);
  }

  promise(p: PromiseLike<unknown>): WireTagged {
    return this.encoder.settleLater(p, this.owner);
  }
}

/** The reply encoder of one session. */
export class ReplyEncoder {
  /** Ids of promises that settle later count down from -1 (request ids count up). */
  private nextPromiseId = -1;
  /** For values with no owner: errors, and frames refused before a target was known. */
  private readonly ownerless: OwnedEncoding;
  private readonly binary: BinaryMode;

  constructor(
    private readonly refs: RefTable,
    private readonly host: ReplyEncodingHost,
    binary: BinaryMode,
    /** Whether errors sent to the renderer keep main's stacks (the broker's `errorStacks`). */
    private readonly errorStacks: ErrorStacks = 'full',
  ) {
    // Uncopied binary needs a host that sends its frame at once; without one it is copied.
    this.binary = binary === 'structured' && !host.sendNow ? 'clone' : binary;
    this.ownerless = new OwnedEncoding(this, undefined, binary, errorStacks);
  }

  /** Encode `value` with `owner` owning the objects it sends by reference; all or nothing. */
  value(value: unknown, owner: Actor | undefined): Wire {
    // Primitives create no refs: skip the bookkeeping (most replies, most events).
    if (createsNoRefs(value)) return encode(value, this.ownerless);
    return this.owned(owner, (host) => encode(value, host));
  }

  /** Encode an argument list for `owner`; all or nothing. */
  values(values: readonly unknown[], owner: Actor): Wire[] {
    return this.owned(owner, (host) => values.map((v) => encode(v, host)));
  }

  /** What `require`/`global`/`current` answer: a copy of a primitive or plain data (as Electron's `remote` did), else {@link root}. */
  rootValue(owner: Actor): Wire {
    const inst = owner.instance;
    return isPlainData(inst) ? this.value(inst, owner) : this.root(owner);
  }

  /** A ref to `owner` itself (its current instance is the target, across restarts). */
  root(owner: Actor): WireTagged {
    return this.owned(owner, () => this.rootRef(owner, undefined));
  }

  /** Encode anything thrown, as a wire error; by-reference properties belong to `owner`. */
  error(thrown: unknown, owner?: Actor): Wire {
    return encodeThrown(thrown, owner ? new OwnedEncoding(this, owner, this.binary, this.errorStacks) : this.ownerless);
  }

  /** @internal An encoding handed binary over uncopied: its frame leaves at once (or it is copied where the host cannot). */
  sendNow(transfer: readonly ArrayBuffer[]): void {
    this.host.sendNow?.(transfer);
  }

  /** A value will never be sent after all: give back the refs encoding it added. */
  discard(w: Wire): void {
    if (!Array.isArray(w)) return;
    const ids: number[] = [];
    refsOf(w, ids);
    for (const id of ids) this.refs.release(id, 1);
  }

  /** Run one encoding; if it throws, every ref it added is given back. */
  private owned<T>(owner: Actor | undefined, run: (host: OwnedEncoding) => T): T {
    const host = new OwnedEncoding(this, owner, this.binary, this.errorStacks);
    try {
      return run(host);
    } catch (e) {
      for (const r of host.added) this.refs.undoAdd(r);
      throw e;
    }
  }

  /** @internal Enter `v` in the ref table under `owner` (noting it in `added`) and tag it. */
  refTo(v: object, owner: Actor, added: RefEntry[]): WireTagged {
    if (v === owner.instance) return this.rootRef(owner, added);
    const e = this.refs.add(v, owner, false);
    added.push(e);
    return refTag(e.id, refKindOf(v), methodsOf(v), shapeOf(v));
  }

  private rootRef(owner: Actor, added: RefEntry[] | undefined): WireTagged {
    const e = this.refs.add(undefined, owner, true);
    added?.push(e);
    const inst = owner.instance;
    const kind = refKindOf(inst);
    return isObjectLike(inst) ? refTag(e.id, kind, methodsOf(inst), shapeOf(inst)) : refTag(e.id, kind);
  }

  /** @internal A promise inside a value: send `['p', id]` now, and an `ok`/`fail` frame with id when it settles. */
  settleLater(p: PromiseLike<unknown>, owner: Actor | undefined): WireTagged {
    const id = this.nextPromiseId--;
    p.then(
      (v) => {
        if (this.host.closed) return;
        let wire: Wire;
        try {
          wire = this.value(v, owner);
        } catch (e) {
          this.host.send(toRenderer.fail(id, this.error(e)));
          return;
        }
        this.host.send(toRenderer.ok(id, wire));
      },
      (e) => {
        if (!this.host.closed) this.host.send(toRenderer.fail(id, this.error(e)));
      },
    );
    return promiseTag(id);
  }
}
