/**
 * A session: everything main knows about one connected renderer (one page load, one worker).
 *
 * It validates and routes the renderer's frames, holds the renderer's refs, callbacks,
 * listeners and subscriptions, and when the connection closes (reload, navigation, crash,
 * exit) it releases all of them: listeners are removed from their emitters, streams are torn
 * down, callbacks turn into no-ops and the ref table empties.
 * @packageDocumentation
 */
import { setMaxListeners } from 'node:events';
import type { Subscription } from 'rxjs';
import type { Actor, Envelope } from '../actor/actor.js';
import type { Inspector } from '../actor/inspect.js';
import type { Supervisor } from '../actor/supervisor.js';
import { RemoraError } from '../errors.js';
import {
  decode, decodeArgs, encode, encodeThrown, FrameError, isRequest, parseRendererFrame, PROTOCOL_VERSION, unbatch,
  type DecodeHost, type EncodeHost, type RefKind, type Wire, type WireTagged,
} from '../protocol/index.js';
import type { ApplyFrame, GetFrame, NewFrame, RendererFrame, RequestFrame, SetFrame, SubscribeFrame } from '../protocol/frames.js';
import type { CloseReason, Transport } from '../transport.js';
import { checkValue, methodsOf, readProperty, walk, writeProperty } from './access.js';
import { type CallContext, withCallContext } from './call-context.js';
import type { Limits } from './limits.js';
import { type RefEntry, RefTable } from './ref-table.js';
import { type StreamSink, StreamOut } from './stream-out.js';

/** What a session asks of its broker. */
export interface SessionHost {
  readonly limits: Limits;
  readonly inspector: Inspector;
  readonly supervisor: Supervisor;
  /** Resolve `require`/`global`/`current` to an actor; throws `E_DENIED`. */
  lookup(session: Session, kind: 'require' | 'global' | 'current', name: string): Actor;
  /** The session ended. */
  closed(session: Session): void;
}

/** A snapshot of a session's tables, for tests and tooling. */
export interface SessionStats {
  refs: number;
  pending: number;
  callbacks: number;
  listeners: number;
  subscriptions: number;
  pipes: number;
  /** Stream values main holds for this renderer right now (flow control bounds it). */
  buffered: number;
}

/** What the session resolved a request's target to. */
interface Resolved {
  readonly actor: Actor;
  /** The object, unless `root`. */
  readonly value: unknown;
  /** The actor's current instance is the target. */
  readonly root: boolean;
}

interface Pipe {
  remaining: number;
  result: Promise<Resolved>;
  resolve(r: Resolved): void;
  reject(e: unknown): void;
  /** Dependents waiting on `result`. */
  attached: number;
  settled: boolean;
}

interface ListenerRecord {
  readonly target: object;
  readonly remove: string;
  readonly event: unknown;
  readonly fn: (...args: unknown[]) => void;
  readonly once: boolean;
}

const ADD_LISTENER: Readonly<Record<string, string>> = {
  on: 'removeListener',
  addListener: 'removeListener',
  prependListener: 'removeListener',
  once: 'removeListener',
  prependOnceListener: 'removeListener',
  addEventListener: 'removeEventListener',
};
const REMOVE_LISTENER = new Set(['off', 'removeListener', 'removeEventListener']);
const ONCE = new Set(['once', 'prependOnceListener']);

/** True while `r.target` still holds `r.fn` as a `once` listener (Node's wrapper keeps it as `.listener`). */
function holdsOnce(r: ListenerRecord): boolean {
  const raw = (r.target as { rawListeners?: (e: unknown) => unknown[] }).rawListeners;
  if (typeof raw !== 'function') return false;
  try {
    return raw.call(r.target, r.event).some((l) => (l as { listener?: unknown }).listener === r.fn);
  } catch {
    return false;
  }
}

/** Each callback proxy main made, to its entry (which session and id it stands for). */
const callbackIds = new WeakMap<object, CallbackEntry>();

/**
 * Main's record of one renderer callback: a weak reference to the proxy main code holds. The
 * same object is the registry's held value and its unregister token, so a session can drop
 * its registrations itself (at close, or when it sweeps) instead of waiting for V8's cleanup
 * task, which can stall (docs/lifetime.md, "When finalizers stop").
 */
interface CallbackEntry {
  readonly fn: WeakRef<(...a: unknown[]) => void>;
  readonly session: Session;
  readonly id: number;
  /** Times the renderer sent this id to this proxy; `cbfree` gives them back, as releases do for refs. */
  receipts: number;
}
const callbackRegistry = new FinalizationRegistry<CallbackEntry>((entry) => entry.session.callbackCollected(entry));

/** The callback table never sweeps below this many entries. */
const MIN_CALLBACK_SWEEP = 256;

let sessionCounter = 0;

function kindOf(v: unknown): RefKind {
  if (typeof v === 'function') return 'f';
  if (v !== null && typeof v === 'object' && typeof (v as { subscribe?: unknown }).subscribe === 'function' && typeof (v as { pipe?: unknown }).pipe === 'function') return 'x';
  return 'o';
}

/** One in-flight request: the envelope its actor runs, and its call context. */
class Call implements Envelope, CallContext {
  private controller: AbortController | undefined;
  /** Why the call was aborted (cancel, session end, deadline), once it was. */
  private abortReason: RemoraError | undefined;
  args: unknown[] = [];
  value: unknown;
  target!: Resolved;
  pipe: Pipe | undefined;
  /** Sync requests reply at once with a promise marker when the handler returns a promise. */
  readonly detach: boolean;

  constructor(readonly s: Session, readonly frame: RequestFrame) {
    this.detach = frame.s === 1;
  }

  get session(): string {
    return this.s.id;
  }
  get id(): number {
    return this.frame.id;
  }
  get op(): string {
    return this.frame.t;
  }
  get info(): Readonly<Record<string, unknown>> {
    return this.s.info;
  }
  get sessionSignal(): AbortSignal {
    return this.s.endSignal;
  }
  onSessionEnd(fn: () => void): () => void {
    return this.s.onEnd(fn);
  }
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.abortReason && !this.controller.signal.aborted) this.controller.abort(this.abortReason);
    return this.controller.signal;
  }

  /** Optional per Envelope; set by a concurrent actor while it awaits this call's promise. */
  abandon: (() => void) | undefined = undefined;

  abort(why: RemoraError): void {
    this.abortReason ??= why;
    this.controller?.abort(why);
    // The caller is gone or cancelled: a concurrent actor stops waiting for this call, so a
    // handler that never settles cannot hold a mailbox slot forever.
    const abandon = this.abandon;
    this.abandon = undefined;
    abandon?.();
  }

  run(instance: unknown): unknown {
    // Cancelled, or its renderer left, while it waited in the mailbox: do not run it at all.
    if (this.abortReason) throw new RemoraError('E_ABORTED', `The call was abandoned before it started (${this.abortReason.remoraCode}).`);
    const base = this.target.root ? instance : this.target.value;
    return withCallContext(this, () => this.s.perform(this, base));
  }

  reply(value: unknown): void {
    this.s.replyOk(this, value);
  }

  fail(error: unknown): void {
    this.s.replyFail(this, error);
  }
}

/** A connected renderer, as main sees it. */
export class Session implements StreamSink {
  /** Unique id (also in inspection events and call contexts). */
  readonly id: string;
  /** Renderer generation from the handshake (bumped by the renderer's host on reload). */
  generation = 0;
  /** Renderer's self-reported name from the handshake. */
  name: string | undefined;
  /** True once closed. */
  closed = false;
  /** Why it closed. */
  closeReason: CloseReason | undefined;

  private greeted = false;
  readonly refs: RefTable;
  private readonly pipes = new Map<number, Pipe>();
  private readonly calls = new Map<number, Call>();
  private readonly callbacks = new Map<number, CallbackEntry>();
  /** Sweep the callback table for collected proxies when it reaches this size. */
  private callbackSweepAt = MIN_CALLBACK_SWEEP;
  /** Refusals at `maxCallbacks` to go before the next sweep at the limit (after one that freed little). */
  private limitSweepDebt = 0;
  private readonly listeners = new Map<(...a: unknown[]) => void, ListenerRecord[]>();
  private listenerCount = 0;
  private readonly streams = new Map<number, StreamOut>();
  private readonly dirtyStreams: StreamOut[] = [];
  private out: unknown[] = [];
  private flushQueued = false;
  private freedCallbacks: number[] = [];
  private nextPromiseId = -1;
  private readonly subscription: Subscription;
  /** The actor whose objects are being encoded now (owner of new refs). */
  private encodingActor: Actor | undefined;
  private readonly encodeHost: EncodeHost;
  private readonly decodeLimits: { maxDepth: number; maxBytes: number };

  constructor(
    private readonly host: SessionHost,
    private readonly transport: Transport,
    /** Transport-provided facts about the renderer (e.g. `webContentsId`). */
    readonly info: Readonly<Record<string, unknown>> = {},
  ) {
    this.id = `s${++sessionCounter}`;
    this.refs = new RefTable(host.limits.maxRefs);
    this.decodeLimits = { maxDepth: host.limits.maxDepth, maxBytes: host.limits.maxFrameBytes };
    this.encodeHost = {
      plainWithFunctions: 'ref',
      binary: transport.binary ?? 'clone',
      byReference: (v) => this.byReference(v),
      promise: (p) => this.detachedPromise(p),
    };
    host.inspector.emit('session-opened', { session: this.id });
    this.subscription = transport.messages$.subscribe({
      next: (m) => this.receive(m),
      complete: () => this.close({ kind: 'closed' }),
      error: (e) => this.close({ kind: 'error', detail: String(e) }),
    });
    const closedSub = transport.closed$.subscribe((reason) => this.close(reason));
    this.subscription.add(closedSub);
  }

  /** Sizes of this session's tables. */
  stats(): SessionStats {
    return {
      refs: this.refs.size,
      pending: this.calls.size,
      callbacks: this.callbacks.size,
      listeners: this.listenerCount,
      subscriptions: this.streams.size,
      pipes: this.pipes.size,
      buffered: this.bufferedValues(),
    };
  }

  private bufferedValues(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.buffered;
    return n;
  }

  // ---------------------------------------------------------------- inbound

  /** Handle one inbound message (a frame or a batch). Never throws. */
  receive(message: unknown): void {
    if (this.closed) return;
    let frames: unknown[];
    try {
      frames = unbatch(message, this.host.limits);
    } catch (e) {
      this.dropped(e);
      return;
    }
    for (const raw of frames) {
      let f: RendererFrame;
      try {
        f = parseRendererFrame(raw, this.host.limits);
      } catch (e) {
        const id = e instanceof FrameError ? e.id : undefined;
        if (id !== undefined) this.send({ t: 'fail', id, e: encodeThrown(e, this.encodeHost) }, (raw as { s?: unknown }).s === 1);
        else this.dropped(e);
        continue;
      }
      try {
        this.route(f);
      } catch (e) {
        // route() answers its own failures; this is a last line of defence.
        if ('id' in f && typeof f.id === 'number' && isRequest(f)) this.send({ t: 'fail', id: f.id, e: encodeThrown(e, this.encodeHost) }, f.s === 1);
        else this.dropped(e);
      }
      if (this.closed) return;
    }
    // Pipelined dependents travel in the same message as their base; a pipe still waiting for
    // announced dependents now never gets them, so drop it (a renderer cannot pile them up).
    if (this.pipes.size) this.pipes.clear();
  }

  private dropped(e: unknown): void {
    this.host.inspector.emit('dropped', { session: this.id, detail: e instanceof Error ? `${(e as { code?: string }).code}: ${e.message}` : String(e) });
  }

  private route(f: RendererFrame): void {
    if (this.host.inspector.active) this.host.inspector.emit('received', { session: this.id, op: f.t, id: 'id' in f ? f.id : undefined });
    if (f.t === 'hello') {
      this.hello(f.v, f.gen, f.name);
      return;
    }
    if (!this.greeted) {
      const err = new RemoraError('E_PROTOCOL', 'Protocol violation: the first frame must be a hello handshake.');
      if (isRequest(f)) this.send({ t: 'fail', id: f.id, e: encodeThrown(err, this.encodeHost) }, f.s === 1);
      else this.dropped(err);
      return;
    }
    switch (f.t) {
      case 'release':
        this.release(f.refs);
        return;
      case 'cancel':
        this.cancel(f.id);
        return;
      case 'unsub':
        this.streams.get(f.id)?.close();
        return;
      case 'ack':
        this.streams.get(f.id)?.ack(f.n);
        return;
      case 'sub':
        this.subscribe(f);
        return;
      default:
        this.request(f);
    }
  }

  private hello(v: number, gen: number, name: string | undefined): void {
    if (v !== PROTOCOL_VERSION) {
      this.send({ t: 'bye', reason: `E_VERSION: renderer speaks protocol ${v}, main speaks ${PROTOCOL_VERSION}` });
      this.flush();
      this.close({ kind: 'version', detail: `protocol ${v} != ${PROTOCOL_VERSION}` });
      return;
    }
    this.greeted = true;
    this.generation = gen;
    this.name = name;
    this.send({ t: 'welcome', v: PROTOCOL_VERSION, session: this.id, gen });
  }

  private request(f: RequestFrame): void {
    const sync = f.s === 1;
    if (this.calls.has(f.id)) {
      this.send({ t: 'fail', id: f.id, e: encodeThrown(new RemoraError('E_PROTOCOL', `Protocol violation: request id ${f.id} is already in flight.`), this.encodeHost) }, sync);
      return;
    }
    const call = new Call(this, f);
    if (f.k !== undefined) call.pipe = this.openPipe(f.id, f.k);
    if (this.calls.size >= this.host.limits.maxPending) {
      this.replyFail(call, new RemoraError('E_TOO_MANY_PENDING', `This renderer already has ${this.host.limits.maxPending} calls in flight; wait for some to settle or raise limits.maxPending.`));
      return;
    }
    this.calls.set(f.id, call);
    try {
      switch (f.t) {
        case 'require':
        case 'global':
        case 'current': {
          const actor = this.host.lookup(this, f.t, f.t === 'current' ? f.what : f.name);
          actor.ensureStarted(call);
          call.target = { actor, value: undefined, root: true };
          this.replyOk(call, ROOT);
          return;
        }
        default:
          // A ref target resolves now (no continuation to allocate); a pipelined one waits for its base.
          if (f.ref !== undefined) this.dispatch(call, f, this.resolveRef(f.ref, f.t, f.id));
          else this.withTarget(call, f, (t) => this.dispatch(call, f, t));
      }
    } catch (e) {
      this.replyFail(call, e);
    }
  }

  /** Resolve the target (now, or when a pipelined base settles) and continue. */
  private withTarget(call: Call | undefined, f: GetFrame | SetFrame | ApplyFrame | NewFrame | SubscribeFrame, go: (t: Resolved) => void): void {
    if (f.ref !== undefined) {
      go(this.resolveRef(f.ref, f.t, f.id));
      return;
    }
    const pipe = this.pipes.get(f.on!);
    if (!pipe) throw new RemoraError('E_PROTOCOL', `Protocol violation: request ${f.id} is pipelined on ${f.on}, which has no pending result in this batch.`);
    if (--pipe.remaining <= 0) this.pipes.delete(f.on!);
    pipe.attached++;
    if (pipe.settled) this.pipeReactions++;
    pipe.result.then(
      (t) => {
        this.pipeReactions--;
        if (this.closed) return;
        try {
          go(t);
        } catch (e) {
          this.failFrame(call, f, e);
        }
      },
      (e) => {
        this.pipeReactions--;
        if (this.closed) return;
        const why = e instanceof Error ? e.message : String(e);
        this.failFrame(call, f, new RemoraError((e as RemoraError)?.remoraCode ?? 'E_TARGET_THREW', `The pipelined call it depends on failed: ${why}`));
      },
    );
  }

  private failFrame(call: Call | undefined, f: { id: number }, e: unknown): void {
    if (call) this.replyFail(call, e);
    else this.streams.get(f.id)?.error(e);
  }

  private resolveRef(id: number, op: string, reqId: number): Resolved {
    const e = this.refs.get(id);
    if (!e) {
      this.host.supervisor.deadLetter(`ref/${id}`, { session: this.id, id: reqId, op }, 'missing');
      throw new RemoraError('E_NO_OBJECT', `No object with ref ${id} in this session: it was released, never issued, or belongs to another renderer.`);
    }
    if (!e.root && e.incarnation !== e.actor.incarnation) {
      throw new RemoraError('E_STALE_REF', `Ref ${id} points into an earlier incarnation of actor ${e.actor.path}, which has restarted since. Get the object again from the actor.`);
    }
    return e;
  }

  private dispatch(call: Call, f: GetFrame | SetFrame | ApplyFrame | NewFrame, t: Resolved): void {
    call.target = t;
    this.encodingActor = t.actor;
    this.decodingActor = t.actor;
    if (f.t === 'apply' || f.t === 'new') call.args = decodeArgs(f.args, this.decodeHost, this.decodeLimits);
    else if (f.t === 'set') call.value = decode(f.value, this.decodeHost, this.decodeLimits);
    t.actor.tell(call);
  }

  /** Perform a request's operation on its base object (runs inside the actor). */
  perform(call: Call, base: unknown): unknown {
    const f = call.frame as GetFrame | SetFrame | ApplyFrame | NewFrame;
    const path = f.path;
    switch (f.t) {
      case 'get':
        return walk(base, path);
      case 'set': {
        const obj = walk(base, path, path.length - 1);
        writeProperty(obj, path[path.length - 1]!, call.value);
        return undefined;
      }
      case 'apply': {
        let thisArg: unknown;
        let fn: unknown;
        if (path.length === 0) fn = base;
        else {
          thisArg = walk(base, path, path.length - 1);
          fn = readProperty(thisArg, path[path.length - 1]!);
        }
        if (typeof fn !== 'function') throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" is not a function.`);
        checkValue(fn, 'the function');
        if (this.listenerCount >= this.host.limits.maxCallbacks && Object.hasOwn(ADD_LISTENER, path[path.length - 1] ?? '') && call.args.some((a) => typeof a === 'function' && callbackIds.get(a)?.session === this)) {
          throw new RemoraError('E_TOO_MANY_REFS', `Main already holds ${this.host.limits.maxCallbacks} listeners of this renderer; remove some or raise limits.maxCallbacks.`);
        }
        const result = Reflect.apply(fn, thisArg, call.args);
        if (path.length > 0 && thisArg !== null && typeof thisArg === 'object') this.trackListeners(thisArg, path[path.length - 1]!, call.args);
        return result;
      }
      case 'new': {
        const ctor = walk(base, path);
        if (typeof ctor !== 'function') throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" is not a constructor.`);
        checkValue(ctor, 'the constructor');
        return Reflect.construct(ctor, call.args);
      }
    }
  }

  // ---------------------------------------------------------------- replies

  /** Encode and send a success reply; resolve dependents. */
  replyOk(call: Call, value: unknown): void {
    this.calls.delete(call.id);
    if (this.closed) return;
    const t = call.target;
    const isRoot = value === ROOT;
    let wire: Wire;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) {
      // Primitives create no refs: no bookkeeping (most replies).
      wire = encode(value, this.encodeHost);
    } else {
      try {
        wire = this.encoding(t.actor, () => (isRoot ? this.rootRef(t.actor) : encode(value, this.encodeHost)));
      } catch (e) {
        this.replyFail(call, e);
        return;
      }
    }
    this.send({ t: 'ok', id: call.id, v: wire }, call.detach);
    if (call.pipe) {
      const root = isRoot || value === t.actor.instance;
      call.pipe.resolve({ actor: t.actor, value: root ? undefined : value, root });
    }
  }

  /** Encode and send a failure reply; fail dependents. */
  replyFail(call: Call, error: unknown): void {
    this.calls.delete(call.id);
    call.pipe?.reject(error);
    if (this.closed) return;
    this.send({ t: 'fail', id: call.id, e: encodeThrown(error, this.encodeHost) }, call.detach);
  }

  private tracking: RefEntry[] | undefined;

  /**
   * Run an encoding with `actor` owning the refs it creates. If it throws, every ref it added
   * is given back, so a value that could not be sent leaves nothing in the ref table.
   */
  private encoding<T>(actor: Actor | undefined, run: () => T): T {
    if (actor) this.encodingActor = actor;
    const outer = this.tracking;
    const added: RefEntry[] = [];
    this.tracking = added;
    try {
      const out = run();
      outer?.push(...added);
      return out;
    } catch (e) {
      for (const r of added) this.refs.unadd(r);
      throw e;
    } finally {
      this.tracking = outer;
    }
  }

  private rootRef(actor: Actor): WireTagged {
    const e = this.refs.add(undefined, actor, true);
    this.tracking?.push(e);
    const inst = actor.instance;
    const kind = kindOf(inst);
    return inst !== null && (typeof inst === 'object' || typeof inst === 'function') ? ['r', e.id, kind, methodsOf(inst)] : ['r', e.id, kind];
  }

  private byReference(v: object): WireTagged {
    checkValue(v, 'a returned value');
    const actor = this.encodingActor;
    if (!actor) throw new RemoraError('E_BAD_VALUE', 'Cannot send an object by reference outside a call.');
    if (v === actor.instance) return this.rootRef(actor);
    const e = this.refs.add(v, actor, false);
    this.tracking?.push(e);
    return ['r', e.id, kindOf(v), methodsOf(v)];
  }

  private detachedPromise(p: PromiseLike<unknown>): WireTagged {
    const id = this.nextPromiseId--;
    const actor = this.encodingActor;
    p.then(
      (v) => {
        if (this.closed) return;
        let wire: Wire;
        try {
          wire = this.encoding(actor, () => encode(v, this.encodeHost));
        } catch (e) {
          this.send({ t: 'fail', id, e: encodeThrown(e, this.encodeHost) });
          return;
        }
        this.send({ t: 'ok', id, v: wire });
      },
      (e) => {
        if (!this.closed) this.send({ t: 'fail', id, e: encodeThrown(e, this.encodeHost) });
      },
    );
    return ['p', id];
  }

  private openPipe(id: number, remaining: number): Pipe {
    let resolve!: (r: Resolved) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<Resolved>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    result.catch(() => undefined);
    const settle = (): void => {
      if (pipe.settled) return;
      pipe.settled = true;
      this.pipeReactions += pipe.attached;
    };
    const pipe: Pipe = {
      remaining,
      result,
      attached: 0,
      settled: false,
      resolve: (r) => {
        settle();
        resolve(r);
      },
      reject: (e) => {
        settle();
        reject(e);
      },
    };
    this.pipes.set(id, pipe);
    return pipe;
  }

  // ---------------------------------------------------------------- decoding renderer values

  /** The actor whose call's values are being decoded now (callbacks made while decoding belong to it). */
  private decodingActor: Actor | undefined;
  /** One decode host per session (decoding is synchronous: the actor is set around each decode). */
  private readonly decodeHost: DecodeHost = {
    reference: (tag, w) => {
      const id = w[1] as number;
      if (tag === 'h') {
        const e = this.resolveRef(id, 'arg', 0);
        return e.root ? e.actor.instance : e.value;
      }
      if (tag === 'c') return this.callbackFor(id, this.decodingActor!);
      throw new RemoraError('E_PROTOCOL', `Protocol violation: tag "${tag}" is not valid from a renderer.`);
    },
  };

  private callbackFor(id: number, actor: Actor): (...args: unknown[]) => void {
    const known = this.callbacks.get(id);
    const existing = known?.fn.deref();
    if (existing) {
      known!.receipts++;
      return existing;
    }
    if (this.callbacks.size >= this.callbackSweepAt) this.sweepCallbacks();
    const max = this.host.limits.maxCallbacks;
    if (!this.callbacks.has(id) && this.callbacks.size >= max) {
      // At the limit, sweep before refusing; after a sweep that freed little, only once more
      // refusals paid for it, so a renderer at the limit cannot make every frame walk the table.
      if (this.limitSweepDebt === 0) {
        const before = this.callbacks.size;
        this.sweepCallbacks();
        if (before - this.callbacks.size < before / 8) this.limitSweepDebt = Math.ceil(before / 8);
      }
      if (this.callbacks.size >= max) {
        if (this.limitSweepDebt > 0) this.limitSweepDebt--;
        throw new RemoraError('E_TOO_MANY_REFS', `Main already holds ${max} callbacks of this renderer; remove listeners you no longer need or raise limits.maxCallbacks.`);
      }
    }
    const fn = (...args: unknown[]): void => this.invokeCallback(id, fn, actor, args);
    const previous = this.callbacks.get(id);
    // A dead proxy's receipts are still owed to the renderer: the new proxy takes them over.
    const entry: CallbackEntry = { fn: new WeakRef(fn), session: this, id, receipts: (previous?.receipts ?? 0) + 1 };
    if (previous) callbackRegistry.unregister(previous);
    this.callbacks.set(id, entry);
    callbackIds.set(fn, entry);
    callbackRegistry.register(fn, entry, entry);
    return fn;
  }

  /**
   * Forget callbacks whose proxies main no longer holds, without waiting for the registry, and
   * tell the renderer. Runs when the table doubles and before refusing a callback at the limit.
   */
  private sweepCallbacks(): void {
    for (const entry of this.callbacks.values()) if (entry.fn.deref() === undefined) this.forgetCallback(entry);
    this.callbackSweepAt = Math.max(MIN_CALLBACK_SWEEP, 2 * this.callbacks.size);
  }

  private forgetCallback(entry: CallbackEntry): void {
    callbackRegistry.unregister(entry);
    this.callbacks.delete(entry.id);
    this.freedCallbacks.push(entry.id, entry.receipts);
    this.scheduleFlush();
  }

  private invokeCallback(id: number, fn: (...a: unknown[]) => void, actor: Actor, args: unknown[]): void {
    // After the session ends a callback is inert: calling it is a no-op, never an exception.
    if (this.closed) return;
    const records = this.listeners.get(fn);
    // A fired `once` listener is gone from its emitter; the same function may still be a `once`
    // listener elsewhere, so forget only the records whose emitter no longer holds it.
    if (records?.some((r) => r.once)) this.forgetListeners(fn, (r) => r.once && !holdsOnce(r));
    let wire: Wire[];
    try {
      wire = this.encoding(actor, () => args.map((a) => encode(a, this.encodeHost)));
    } catch (e) {
      this.dropped(e);
      return;
    }
    this.send({ t: 'cb', cb: id, args: wire });
  }

  /** @internal A callback proxy was garbage-collected in main: let the renderer forget the function. */
  callbackCollected(entry: CallbackEntry): void {
    if (!this.closed && this.callbacks.get(entry.id) === entry) this.forgetCallback(entry);
  }

  private trackListeners(target: object, method: string, args: unknown[]): void {
    if (this.closed) return;
    const remove = Object.hasOwn(ADD_LISTENER, method) ? ADD_LISTENER[method] : undefined; // not Object.prototype members
    if (remove !== undefined) {
      for (const a of args) {
        if (typeof a !== 'function' || callbackIds.get(a)?.session !== this) continue;
        const fn = a as (...x: unknown[]) => void;
        const list = this.listeners.get(fn) ?? [];
        list.push({ target, remove, event: args[0], fn, once: ONCE.has(method) });
        this.listeners.set(fn, list);
        this.listenerCount++;
      }
    } else if (REMOVE_LISTENER.has(method)) {
      for (const a of args) {
        if (typeof a === 'function' && callbackIds.get(a)?.session === this) {
          this.forgetListeners(a as (...x: unknown[]) => void, (r) => r.target === target && r.event === args[0]);
        }
      }
    }
  }

  private forgetListeners(fn: (...a: unknown[]) => void, which: (r: ListenerRecord) => boolean): void {
    const list = this.listeners.get(fn);
    if (!list) return;
    const keep = list.filter((r) => !which(r));
    this.listenerCount -= list.length - keep.length;
    if (keep.length === 0) this.listeners.delete(fn);
    else this.listeners.set(fn, keep);
  }

  // ---------------------------------------------------------------- streams

  private subscribe(f: SubscribeFrame): void {
    if (this.streams.has(f.id)) {
      this.send({ t: 'error', id: f.id, e: encodeThrown(new RemoraError('E_PROTOCOL', `Protocol violation: stream id ${f.id} is already open.`), this.encodeHost) });
      return;
    }
    const stream = new StreamOut(f.id, this, { window: this.host.limits.streamWindow, buffer: this.host.limits.streamBuffer, overflow: this.host.limits.overflow });
    if (this.streams.size >= this.host.limits.maxSubscriptions) {
      stream.error(new RemoraError('E_TOO_MANY_SUBSCRIPTIONS', `This renderer already has ${this.host.limits.maxSubscriptions} open subscriptions; unsubscribe some or raise limits.maxSubscriptions.`));
      return;
    }
    this.streams.set(f.id, stream);
    try {
      this.withTarget(undefined, f, (t) => {
        this.decodingActor = t.actor;
        const args = f.args ? decodeArgs(f.args, this.decodeHost, this.decodeLimits) : undefined;
        const env: Envelope = {
          session: this.id,
          id: f.id,
          op: 'sub',
          run: (instance) => {
            if (stream.closed) return undefined;
            this.encodingActor = t.actor;
            const base = t.root ? instance : t.value;
            stream.teardown = f.event !== undefined ? this.attachEvent(stream, base, f.path, f.event, t.actor) : this.attachObservable(stream, base, f.path, args, t.actor);
            if (stream.closed) stream.teardown?.();
            return undefined;
          },
          reply: () => undefined,
          fail: (e) => stream.error(e),
        };
        t.actor.tell(env);
      });
    } catch (e) {
      stream.error(e);
    }
  }

  private attachEvent(stream: StreamOut, base: unknown, path: string[], event: string, actor: Actor): () => void {
    const emitter = walk(base, path) as Record<string, unknown>;
    if (emitter === null || typeof emitter !== 'object') throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" is not an event emitter.`);
    const handler = (...a: unknown[]): void => {
      this.encodingActor = actor;
      stream.next(a.length <= 1 ? a[0] : a);
    };
    if (typeof emitter.on === 'function' && typeof emitter.removeListener === 'function') {
      (emitter.on as (e: string, h: unknown) => void).call(emitter, event, handler);
      return () => (emitter.removeListener as (e: string, h: unknown) => void).call(emitter, event, handler);
    }
    if (typeof emitter.addEventListener === 'function' && typeof emitter.removeEventListener === 'function') {
      (emitter.addEventListener as (e: string, h: unknown) => void).call(emitter, event, handler);
      return () => (emitter.removeEventListener as (e: string, h: unknown) => void).call(emitter, event, handler);
    }
    throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" has neither on/removeListener nor addEventListener/removeEventListener.`);
  }

  private attachObservable(stream: StreamOut, base: unknown, path: string[], args: unknown[] | undefined, actor: Actor): () => void {
    let source: unknown;
    if (args) {
      const thisArg = path.length ? walk(base, path, path.length - 1) : undefined;
      const fn = path.length ? readProperty(thisArg, path[path.length - 1]!) : base;
      if (typeof fn !== 'function') throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" is not a function.`);
      source = Reflect.apply(fn, thisArg, args);
    } else source = walk(base, path);
    const subscribable = source as { subscribe?: (o: object) => { unsubscribe(): void } };
    if (source === null || typeof source !== 'object' || typeof subscribable.subscribe !== 'function') {
      // A function that returned a promise instead: its rejection must not go unhandled.
      if (source !== null && typeof source === 'object' && typeof (source as PromiseLike<unknown>).then === 'function') Promise.resolve(source).catch(() => undefined);
      throw new RemoraError('E_BAD_VALUE', `"${path.join('.') || '(target)'}" is not an Observable.`);
    }
    const sub = subscribable.subscribe({
      next: (v: unknown) => {
        this.encodingActor = actor;
        stream.next(v);
      },
      error: (e: unknown) => stream.error(e),
      complete: () => stream.complete(),
    });
    return () => sub.unsubscribe();
  }

  /** StreamSink: queue a frame. */
  push(frame: unknown): void {
    this.send(frame);
  }

  /** StreamSink: flush this stream at the end of the tick. */
  schedule(stream: StreamOut): void {
    this.dirtyStreams.push(stream);
    this.scheduleFlush();
  }

  /** StreamSink: encode a stream value. */
  encode(v: unknown): Wire {
    // Primitives create no refs: skip the bookkeeping on the events hot path.
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return encode(v, this.encodeHost);
    return this.encoding(undefined, () => encode(v, this.encodeHost));
  }

  /** StreamSink: encode a stream error. */
  encodeError(e: unknown): Wire {
    return encodeThrown(e, this.encodeHost);
  }

  /** StreamSink: a stream value will never be sent; return the refs encoding it added. */
  discard(w: Wire): void {
    if (!Array.isArray(w)) return;
    const tag = w[0];
    if (tag === 'r') {
      if (typeof w[1] === 'number') this.refs.release(w[1], 1);
      return;
    }
    if (tag === 'a' || tag === 'o' || tag === 'm' || tag === 's' || tag === 'e') {
      for (let i = 1; i < w.length; i++) this.discard(w[i] as Wire);
    }
  }

  /** StreamSink: a stream ended. */
  ended(stream: StreamOut): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  // ---------------------------------------------------------------- releases and cancellation

  private release(pairs: number[]): void {
    for (let i = 0; i < pairs.length; i += 2) {
      const dropped = this.refs.release(pairs[i]!, pairs[i + 1]!);
      if (dropped && this.host.inspector.active) this.host.inspector.emit('released', { session: this.id, actor: dropped.actor.path, detail: `ref ${dropped.id}` });
    }
  }

  private cancel(id: number): void {
    const call = this.calls.get(id);
    if (call) {
      call.abort(new RemoraError('E_ABORTED', 'The renderer cancelled this call.'));
      return;
    }
    this.streams.get(id)?.close();
  }

  // ---------------------------------------------------------------- outbound

  /** Queue a frame; frames go out batched at the end of the tick. Replies to sync requests go at once. */
  send(frame: unknown, sync = false): void {
    if (this.closed) return;
    if (sync) {
      this.flush();
      if (this.transport.replySync) this.transport.replySync(frame);
      else this.transport.send(frame);
      return;
    }
    this.out.push(frame);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  /**
   * Dependents of a pipelined reply settled in this tick run in the next microtasks: wait for
   * them, so a whole chain's replies leave as one message.
   */
  private readonly flushLater = (): void => {
    if (this.pipeReactions > 0 && !this.closed) queueMicrotask(this.flushLater);
    else this.flush();
  };
  /** Pipelined dependents whose base settled and whose continuation has not run yet. */
  private pipeReactions = 0;

  /** Send everything queued now. */
  flush(): void {
    this.flushQueued = false;
    if (this.closed) return;
    if (this.dirtyStreams.length) {
      const dirty = this.dirtyStreams.splice(0);
      for (const s of dirty) s.flush();
    }
    if (this.freedCallbacks.length) {
      this.out.push({ t: 'cbfree', cbs: this.freedCallbacks });
      this.freedCallbacks = [];
    }
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    this.transport.send(out.length === 1 ? out[0] : { t: 'batch', f: out });
  }

  // ---------------------------------------------------------------- close

  private endController: AbortController | undefined;
  private endHooks: Set<() => void> | undefined;

  /** Aborted (with `E_CLOSED`) when this session ends; made on first use. */
  get endSignal(): AbortSignal {
    if (!this.endController) {
      this.endController = new AbortController();
      // One signal for the whole session: handlers may hang a listener on it per call.
      setMaxListeners(0, this.endController.signal);
      if (this.closed) this.endController.abort(this.endReason());
    }
    return this.endController.signal;
  }

  /** Run `fn` when this session ends (at once if it has); returns a function that cancels it. */
  onEnd(fn: () => void): () => void {
    if (this.closed) {
      this.runEndHook(fn);
      return () => undefined;
    }
    (this.endHooks ??= new Set()).add(fn);
    return () => void this.endHooks?.delete(fn);
  }

  private runEndHook(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.dropped(e); // main-side cleanup code failed: report it, never throw out of close
    }
  }

  private endReason(): RemoraError {
    return new RemoraError('E_CLOSED', `The renderer went away (${this.closeReason?.kind ?? 'closed'}).`);
  }

  /**
   * End the session: abort calls, remove listeners, tear down streams, make callbacks inert
   * and empty the ref table. Idempotent; never throws.
   */
  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    const aborted = this.endReason();
    for (const call of this.calls.values()) call.abort(aborted);
    this.calls.clear();
    for (const p of this.pipes.values()) p.reject(aborted);
    this.pipes.clear();
    for (const s of [...this.streams.values()]) s.close();
    this.streams.clear();
    for (const list of this.listeners.values()) {
      for (const r of list) {
        try {
          const remove = (r.target as Record<string, unknown>)[r.remove];
          if (typeof remove === 'function') remove.call(r.target, r.event, r.fn);
        } catch (e) {
          this.dropped(e);
        }
      }
    }
    this.listeners.clear();
    this.listenerCount = 0;
    for (const entry of this.callbacks.values()) callbackRegistry.unregister(entry);
    this.callbacks.clear();
    this.refs.clear();
    this.out = [];
    this.dirtyStreams.length = 0;
    this.subscription.unsubscribe();
    try {
      this.transport.close(reason);
    } catch {
      /* already closed */
    }
    this.host.inspector.emit('session-closed', { session: this.id, detail: reason.kind });
    this.host.closed(this);
    // Last: main-side code that kept renderer callbacks lets go of them. Hooks run guarded; an
    // exception thrown by an AbortSignal listener is Node's to report (as uncaught).
    const hooks = this.endHooks;
    this.endHooks = undefined;
    if (hooks) for (const fn of hooks) this.runEndHook(fn);
    this.endController?.abort(aborted);
  }

  /** True once the handshake arrived. */
  get greetedByRenderer(): boolean {
    return this.greeted;
  }
}

/** Marker for "reply with a ref to the actor itself". */
const ROOT = Symbol('remora.root');
