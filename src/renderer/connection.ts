/**
 * The renderer's bus: one connection to main over a transport.
 *
 * Outbound frames queue and leave as one message at the end of the tick (so `api.a().b()`
 * pipelines into a single message). Inbound messages arrive as an RxJS stream and are routed
 * by id: replies settle pending calls, `next`/`error`/`complete` feed subscriptions, `cb`
 * invokes callbacks. Every pending call has a deadline and an optional AbortSignal, and the
 * moment the transport closes every pending call is rejected with `E_CLOSED`: nothing hangs.
 * @packageDocumentation
 */
import { BehaviorSubject, filter, map, type Observable, Subject, take, type Subscription } from 'rxjs';
import { errors, RemoraError } from '../errors.js';
import {
  decode, decodeArgs, encodeArgs, encode, PROTOCOL_VERSION, toCallerError,
  type DecodeHost, type EncodeHost, type RefKind, type Wire, type WireTagged,
} from '../protocol/index.js';
import { isSyncTransport, type CloseReason, type Transport } from '../transport.js';
import { Lifetime, type RefState } from './lifetime.js';

/** Options of a connection. */
export interface ConnectOptions {
  /** Default deadline of an async call, in ms. Default 30 000. */
  timeout?: number;
  /** Deadline of a synchronous call, in ms. Default 30 000. */
  syncTimeout?: number;
  /** Name reported to main (shows in inspection). */
  name?: string;
  /** Renderer generation reported in the handshake. Default 0. */
  generation?: number;
  /** Milliseconds to gather GC releases into one frame. Default 0 (next macrotask). */
  releaseDelay?: number;
}

/** Per-call options (see `withOptions`). */
export interface CallOptions {
  /** Deadline in ms for this call. */
  timeout?: number;
  /** Abort the call: it rejects with `E_ABORTED` at once and main's call context sees the abort. */
  signal?: AbortSignal;
}

/** Decode limits for values from main (trusted side: only a recursion guard). */
const FROM_MAIN_LIMITS = { maxDepth: 1024, maxBytes: Number.MAX_SAFE_INTEGER };

/** Frames per outbound message before it leaves without waiting for the end of the tick. */
const MAX_FRAMES_PER_MESSAGE = 256;

/** Default async call deadline. */
export const DEFAULT_TIMEOUT = 30_000;

/** Makes handles for decoded refs (provided by the handle modules, per flavour). */
export interface HandleFactory {
  handle(conn: Connection, state: RefState): unknown;
}

/** A call in flight. */
export class PendingCall {
  /** The frame, mutable until flushed (pipelined dependents bump its `k`). */
  frame: Record<string, unknown> & { id: number; k?: number };
  /** The outbox this call's frame was queued in: sent once that outbox has flushed since. */
  private queuedIn: Outbox | undefined;
  private flushedAt = 0;
  private sentFlag = false;
  /** True once the frame left (or the call was never queued through an outbox and was marked sent). */
  get sent(): boolean {
    return this.sentFlag || (this.queuedIn !== undefined && this.queuedIn.flushes > this.flushedAt);
  }
  set sent(v: boolean) {
    this.sentFlag = v;
  }
  /** Record that the frame is queued in `outbox` now (no per-frame bookkeeping at flush). */
  queued(outbox: Outbox): void {
    this.queuedIn = outbox;
    this.flushedAt = outbox.flushes;
  }
  settled = false;
  deadline: number;
  /** The deadline's length, for the error message. */
  timeoutMs = 0;
  private readonly settledBy: Promise<unknown>;
  /** Someone asked for the result (`then`, `catch`, an operation continuing from it, ...). */
  observed = false;
  /**
   * An intermediate result of a pipelined chain that arrived before anyone asked for it: kept
   * as it came off the wire and decoded on first use, so no handle is made for a result only
   * its dependents needed (see {@link Connection}, "deferred results").
   */
  deferred: Deferred | undefined;
  resolve!: (v: unknown) => void;
  reject!: (e: unknown) => void;
  cleanup: (() => void) | undefined;
  /** How replies decode: async handles, or sync handles for compatibility calls. */
  flavour: HandleFactory;

  constructor(frame: Record<string, unknown> & { id: number }, deadline: number, flavour: HandleFactory) {
    this.frame = frame;
    this.deadline = deadline;
    this.flavour = flavour;
    this.settledBy = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  /**
   * Pipelined intermediates are often never awaited themselves; their failure reaches the
   * dependents instead, so it must not surface as an unhandled rejection. Marked just before
   * the promise can reject (not at creation: a handler per call costs a promise and a job).
   */
  quiet(): void {
    this.settledBy.catch(ignore);
  }

  /** The call's result; asking for it decodes a deferred result (making its handles) first. */
  get promise(): Promise<unknown> {
    this.observed = true;
    const d = this.deferred;
    if (d) {
      this.deferred = undefined;
      d.owed.conn.undefer(this, d);
    }
    return this.settledBy;
  }
}

const ignore = (): undefined => undefined;

/**
 * The refs that a group of deferred results owe main: one entry per receipt, zeroed when an
 * observer claims it (decodes the result into handles). The group's token object is held by
 * each of its deferred calls; once the token is garbage-collected, nobody can ask for those
 * results any more, and what is still owed goes back to main as releases. Results share a
 * group (up to {@link DEFERRED_GROUP}) because a registry entry and a WeakRef per result cost
 * more than the result: V8 keeps their targets through young-generation collections.
 */
interface DeferredOwed {
  readonly conn: Connection;
  readonly ids: number[];
  done: boolean;
}

/** A deferred result: its wire value and its share (`from`..`to`) of the message's owed refs. */
interface Deferred {
  readonly wire: unknown;
  readonly token: object;
  readonly owed: DeferredOwed;
  readonly from: number;
  readonly to: number;
}

/** One registry for the realm (never one per connection: see lifetime.ts). */
const deferredRegistry = new FinalizationRegistry<DeferredOwed>((owed) => owed.conn.releaseDeferred(owed));

/** Deferred results per group (one token, one registry entry, one WeakRef). */
const DEFERRED_GROUP = 64;
/** The group tokens are swept for collected ones when they reach this many (then twice the live count). */
const MIN_DEFERRED_SWEEP = 16;

/**
 * Collect the ref ids a wire value carries (one per receipt) into `ids`; returns true if it also
 * holds a promise (`p`), which must be decoded on arrival.
 */
function refsOf(w: unknown, ids: number[]): boolean {
  if (!Array.isArray(w)) return false;
  const tag = w[0];
  if (tag === 'r') {
    if (typeof w[1] === 'number') ids.push(w[1]);
    return false;
  }
  let promise = tag === 'p';
  for (let i = 1; i < w.length; i++) if (refsOf(w[i], ids)) promise = true;
  return promise;
}

/** Counts a connection's flushes: a call queued before the latest flush has been sent. */
interface Outbox {
  flushes: number;
}

interface StreamIn {
  readonly next: (v: unknown) => void;
  readonly error: (e: unknown) => void;
  readonly complete: () => void;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** A connection from this renderer to main. */
export class Connection {
  /** Session id main assigned, once welcomed. */
  session: string | undefined;
  /** Resolves when main welcomed this renderer; rejects if the handshake failed. */
  readonly ready: Promise<void>;
  /** Inbound frames (after un-batching), for tooling. */
  readonly frames$: Observable<Record<string, unknown>>;
  /** Emits (and completes) when the connection closes. */
  readonly closed$: Observable<CloseReason>;
  /** The lifetime manager (ref cache and releases). */
  readonly lifetime: Lifetime;
  /** Options in force. */
  readonly options: Required<Omit<ConnectOptions, 'name'>> & { name?: string };

  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly streams = new Map<number, StreamIn>();
  private readonly callbacks = new Map<number, (...args: unknown[]) => unknown>();
  /** Sends of each callback id main has not given back yet (`cbfree` carries receipts). */
  private readonly callbackSends = new Map<number, number>();
  private readonly callbackIds = new WeakMap<object, number>();
  private nextCallbackId = 1;
  private out: unknown[] = [];
  private readonly outbox: Outbox = { flushes: 0 };
  /** The group new deferred results join (weakly: the connection must not keep its token alive). */
  private group: { ref: WeakRef<object>; owed: DeferredOwed; results: number } | undefined;
  /** Every group token, weakly (swept like the ref cache). */
  private deferredTokens: { ref: WeakRef<object>; owed: DeferredOwed }[] = [];
  private deferredSweepAt = MIN_DEFERRED_SWEEP;
  private flushQueued = false;
  private acks = new Map<number, number>();
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly frameSubject = new Subject<Record<string, unknown>>();
  private readonly closedSubject = new BehaviorSubject<CloseReason | undefined>(undefined);
  private readonly subscription: Subscription;
  private closeReason: CloseReason | undefined;
  /** What calls made after the close fail with (E_VERSION after a refused handshake, else E_CLOSED). */
  private closeError: RemoraError | undefined;
  private readonly encodeHost: EncodeHost;
  /** Set by handle modules: encodes a handle passed as an argument (`['h', id]`), or undefined. */
  static handleEncoder: (v: object) => WireTagged | undefined = () => undefined;
  private welcomed!: () => void;
  private refused!: (e: unknown) => void;

  constructor(readonly transport: Transport, options: ConnectOptions = {}) {
    this.options = {
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      syncTimeout: options.syncTimeout ?? DEFAULT_TIMEOUT,
      generation: options.generation ?? 0,
      releaseDelay: options.releaseDelay ?? 0,
      name: options.name,
    };
    this.lifetime = new Lifetime((refs) => this.send({ t: 'release', refs }), this.options.releaseDelay);
    this.encodeHost = {
      plainWithFunctions: 'copy',
      binary: transport.binary ?? 'clone',
      byReference: (v) => this.byReference(v),
    };
    this.ready = new Promise<void>((res, rej) => {
      this.welcomed = res;
      this.refused = rej;
    });
    this.ready.catch(() => undefined);
    this.frames$ = this.frameSubject.asObservable();
    this.closed$ = this.closedSubject.pipe(
      filter((r): r is CloseReason => r !== undefined),
      take(1),
    );
    this.subscription = transport.messages$.subscribe({
      next: (m) => this.receive(m),
      complete: () => this.closed({ kind: 'closed' }),
      error: (e) => this.closed({ kind: 'error', detail: String(e) }),
    });
    this.subscription.add(transport.closed$.subscribe((r) => this.closed(r)));
    const hello: Record<string, unknown> = { t: 'hello', v: PROTOCOL_VERSION, gen: this.options.generation };
    if (options.name !== undefined) hello.name = options.name;
    this.send(hello);
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Calls in flight. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Open subscriptions. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Callbacks main may still invoke. */
  get callbackCount(): number {
    return this.callbacks.size;
  }

  /** True when blocking calls are possible on this transport. */
  get canBlock(): boolean {
    return isSyncTransport(this.transport);
  }

  // ---------------------------------------------------------------- outbound

  /** Queue a frame for the end of the tick. */
  send(frame: unknown): void {
    if (this.closeReason) return;
    // A big burst leaves in chunks: main starts on the first chunk while this side still
    // builds the rest (and no message exceeds main's frames-per-batch limit).
    if (this.out.push(frame) >= MAX_FRAMES_PER_MESSAGE) this.flush();
    else this.scheduleFlush();
  }

  /** Flush at the end of this tick (once, however many frames or acks are queued). */
  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.flushLater);
  }

  private readonly flushLater = (): void => this.flush();

  /** Send everything queued now, as one message. */
  flush(): void {
    this.flushQueued = false;
    if (this.acks.size) {
      for (const [id, n] of this.acks) this.out.push({ t: 'ack', id, n });
      this.acks.clear();
    }
    const out = this.out;
    if (out.length === 0 || this.closeReason) return;
    this.out = [];
    this.outbox.flushes++;
    this.transport.send(out.length === 1 ? out[0] : { t: 'batch', f: out });
  }

  /** Allocate a request or subscription id. */
  allocateId(): number {
    return this.nextId++;
  }

  /**
   * Start an async request. `frame` gets its id here; the returned call settles with the
   * decoded reply.
   */
  request(frame: Record<string, unknown>, flavour: HandleFactory, opts?: CallOptions): PendingCall {
    const id = this.nextId++;
    frame.id = id;
    const timeout = opts?.timeout ?? this.options.timeout;
    const call = new PendingCall(frame as Record<string, unknown> & { id: number }, now() + timeout, flavour);
    call.timeoutMs = timeout;
    if (this.closeReason) {
      call.settled = true;
      call.quiet();
      call.reject(this.closeError);
      return call;
    }
    const signal = opts?.signal;
    if (signal) {
      if (signal.aborted) {
        call.settled = true;
        call.quiet();
        call.reject(errors.aborted(signal.reason));
        return call;
      }
      const onAbort = (): void => {
        if (call.settled) return;
        this.settle(call, false, errors.aborted(signal.reason));
        if (call.sent) this.send({ t: 'cancel', id });
        else this.unqueue(call);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      call.cleanup = () => signal.removeEventListener('abort', onAbort);
    }
    this.pending.set(id, call);
    call.queued(this.outbox);
    this.send(frame);
    this.armSweeper();
    return call;
  }

  private unqueue(call: PendingCall): void {
    const i = this.out.indexOf(call.frame);
    if (i >= 0 && !call.frame.k) this.out.splice(i, 1);
    else this.send({ t: 'cancel', id: call.frame.id });
  }

  /**
   * A synchronous request: blocks until main answers (compatibility mode). Throws
   * `E_SYNC_UNSUPPORTED` on transports that cannot block.
   */
  requestSync(frame: Record<string, unknown>, flavour: HandleFactory): unknown {
    if (this.closeError) throw this.closeError;
    const t = this.transport;
    if (!isSyncTransport(t)) {
      throw new RemoraError('E_SYNC_UNSUPPORTED', 'This transport cannot block, so synchronous (compatibility-mode) calls are impossible here. Use the async API (await the call).');
    }
    const id = this.nextId++;
    frame.id = id;
    frame.s = 1;
    this.flush(); // keep order: everything queued before this call goes first
    const reply = t.sendSync(frame, id, this.options.syncTimeout) as { t?: unknown; id?: unknown; v?: unknown; e?: unknown };
    if (reply.t === 'ok') return this.decodeValue(reply.v, flavour);
    if (reply.t === 'fail') throw toCallerError(decode(reply.e, this.decodeHost(flavour)));
    throw new RemoraError('E_PROTOCOL', `Protocol violation: unexpected synchronous reply ${JSON.stringify(reply.t)}.`);
  }

  /** Settle a call exactly once. */
  settle(call: PendingCall, ok: boolean, value: unknown): void {
    if (call.settled) return;
    call.settled = true;
    this.pending.delete(call.frame.id);
    call.cleanup?.();
    // A thenable value can still make the promise reject.
    if (!ok || (value !== null && (typeof value === 'object' || typeof value === 'function'))) call.quiet();
    if (ok) call.resolve(value);
    else call.reject(value);
  }

  private armSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), 10);
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  private sweep(): void {
    if (this.pending.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      return;
    }
    const t = now();
    for (const call of this.pending.values()) {
      if (call.deadline <= t) {
        this.settle(call, false, errors.timeout(call.timeoutMs, `${String(call.frame.t)} call`));
        if (call.sent) this.send({ t: 'cancel', id: call.frame.id });
      }
    }
  }

  // ---------------------------------------------------------------- values

  /** Encode call arguments (functions become callbacks, handles become refs). */
  encodeArgs(args: readonly unknown[]): Wire[] {
    return encodeArgs(args, this.encodeHost);
  }

  /** Encode one value. */
  encodeValue(v: unknown): Wire {
    return encode(v, this.encodeHost);
  }

  private byReference(v: object): WireTagged {
    const h = Connection.handleEncoder(v);
    if (h) return h;
    if (typeof v === 'function') {
      let id = this.callbackIds.get(v);
      if (id === undefined) {
        id = this.nextCallbackId++;
        this.callbackIds.set(v, id);
      }
      this.callbacks.set(id, v as (...a: unknown[]) => unknown);
      this.callbackSends.set(id, (this.callbackSends.get(id) ?? 0) + 1);
      return ['c', id];
    }
    throw new RemoraError('E_BAD_VALUE', `Cannot send a ${(v as object).constructor?.name ?? 'non-plain'} object from a renderer: only plain data, functions and remote handles travel. Copy it into a plain object.`);
  }

  /** Decode a value from main with handles of the given flavour. */
  decodeValue(w: unknown, flavour: HandleFactory): unknown {
    // Fast path: primitives travel as themselves (most replies and stream values).
    if (w === null || (typeof w !== 'object' && typeof w !== 'function')) return w;
    return decode(w, this.decodeHost(flavour), FROM_MAIN_LIMITS);
  }

  /** One decode host per handle flavour (made once, not per value). */
  private readonly decodeHosts = new Map<HandleFactory, DecodeHost>();

  private decodeHost(flavour: HandleFactory): DecodeHost {
    let host = this.decodeHosts.get(flavour);
    if (!host) {
      host = this.makeDecodeHost(flavour);
      this.decodeHosts.set(flavour, host);
    }
    return host;
  }

  private makeDecodeHost(flavour: HandleFactory): DecodeHost {
    return {
      reference: (tag, w) => {
        if (tag === 'r') {
          const state = this.lifetime.received(w[1] as number, (w[2] as RefKind) ?? 'o', w[3] as string[] | undefined);
          return flavour.handle(this, state);
        }
        if (tag === 'p') {
          const call = new PendingCall({ id: w[1] as number, t: 'promise' }, Number.POSITIVE_INFINITY, flavour);
          call.sent = true;
          this.pending.set(w[1] as number, call);
          return call.promise;
        }
        throw new RemoraError('E_PROTOCOL', `Protocol violation: tag "${tag}" is not valid from main.`);
      },
    };
  }

  // ---------------------------------------------------------------- inbound

  private receive(message: unknown): void {
    const m = message as { t?: unknown; f?: unknown };
    if (m && m.t === 'batch' && Array.isArray(m.f)) for (const f of m.f) this.frame(f as Record<string, unknown>);
    else this.frame(message as Record<string, unknown>);
  }

  private frame(f: Record<string, unknown>): void {
    if (this.frameSubject.observed) this.frameSubject.next(f);
    switch (f.t) {
      case 'ok':
      case 'fail': {
        const call = this.pending.get(f.id as number);
        if (!call || call.settled) {
          if (f.t === 'ok') this.releaseOrphans(f.v);
          return;
        }
        try {
          // An intermediate of a pipelined chain nobody asked for yet: keep it undecoded.
          if (f.t === 'ok' && call.frame.k !== undefined && !call.observed && f.v !== null && typeof f.v === 'object' && this.defer(call, f.v)) return;
          if (f.t === 'ok') this.settle(call, true, this.decodeValue(f.v, call.flavour));
          else this.settle(call, false, toCallerError(this.decodeValue(f.e, call.flavour)));
        } catch (e) {
          this.settle(call, false, e);
        }
        return;
      }
      case 'next': {
        const s = this.streams.get(f.id as number);
        const values = f.v as unknown[];
        if (!s) {
          // Values in flight when the renderer unsubscribed: hand back the refs they carry.
          for (const w of values) this.releaseOrphans(w);
          return;
        }
        for (const [i, w] of values.entries()) {
          let v: unknown;
          try {
            v = this.decodeValue(w, asyncFlavour.current!);
          } catch (e) {
            s.error(e);
            return;
          }
          s.next(v);
          if (!this.streams.has(f.id as number)) {
            for (const rest of values.slice(i + 1)) this.releaseOrphans(rest);
            return;
          }
        }
        this.acks.set(f.id as number, (this.acks.get(f.id as number) ?? 0) + values.length);
        this.scheduleFlush();
        return;
      }
      case 'error': {
        const s = this.streams.get(f.id as number);
        if (!s) return;
        this.streams.delete(f.id as number);
        s.error(toCallerError(this.decodeValue(f.e, asyncFlavour.current!)));
        return;
      }
      case 'complete': {
        const s = this.streams.get(f.id as number);
        if (!s) return;
        this.streams.delete(f.id as number);
        s.complete();
        return;
      }
      case 'cb': {
        const fn = this.callbacks.get(f.cb as number);
        if (!fn) return;
        let args: unknown[];
        try {
          args = decodeArgs(f.args, this.decodeHost(asyncFlavour.current!), FROM_MAIN_LIMITS);
        } catch {
          return;
        }
        try {
          const r = fn(...args);
          if (r && typeof (r as PromiseLike<unknown>).then === 'function') (r as Promise<unknown>).catch(reportCallbackError);
        } catch (e) {
          reportCallbackError(e);
        }
        return;
      }
      case 'cbfree': {
        // [id, receipts] pairs: forget a function once main gave back every send of it, so a
        // send that crossed this frame keeps the function main now holds again.
        const cbs = f.cbs as number[];
        for (let i = 0; i + 1 < cbs.length; i += 2) {
          const id = cbs[i]!;
          const left = (this.callbackSends.get(id) ?? 0) - cbs[i + 1]!;
          if (left > 0) this.callbackSends.set(id, left);
          else {
            this.callbackSends.delete(id);
            this.callbacks.delete(id);
          }
        }
        return;
      }
      case 'welcome':
        this.session = f.session as string;
        this.welcomed();
        return;
      case 'bye':
        this.close({ kind: 'refused', detail: String(f.reason) });
        return;
    }
  }

  // ---------------------------------------------------------------- deferred results

  /**
   * Keep `wire`, the result of a call that later calls in its message were pipelined on, undecoded
   * until someone asks for it (most chains never do: `await api.a().b().c()` only wants `c`).
   * Main counted the refs in it as sent; they are owed back, unless an observer claims them,
   * once its group's token is garbage-collected. Returns false when the value must be decoded now.
   */
  private defer(call: PendingCall, wire: object): boolean {
    const ids: number[] = [];
    if (refsOf(wire, ids) || ids.length === 0) return false;
    let g = this.group;
    let token = g && g.results < DEFERRED_GROUP ? g.ref.deref() : undefined;
    if (!g || !token) {
      if (this.deferredTokens.length >= this.deferredSweepAt) this.sweepDeferred();
      token = {};
      const owed: DeferredOwed = { conn: this, ids: [], done: false };
      deferredRegistry.register(token, owed, owed);
      g = this.group = { ref: new WeakRef(token), owed, results: 0 };
      this.deferredTokens.push(g);
    }
    g.results++;
    const from = g.owed.ids.length;
    for (const id of ids) g.owed.ids.push(id);
    call.settled = true;
    this.pending.delete(call.frame.id);
    call.cleanup?.();
    call.deferred = { wire, token, owed: g.owed, from, to: g.owed.ids.length };
    return true;
  }

  /** @internal Someone asked for a deferred result: claim its refs and decode it now. */
  undefer(call: PendingCall, d: Deferred): void {
    for (let i = d.from; i < d.to; i++) d.owed.ids[i] = 0;
    let v: unknown;
    try {
      v = this.decodeValue(d.wire, call.flavour);
    } catch (e) {
      call.quiet();
      call.reject(e);
      return;
    }
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) call.quiet();
    call.resolve(v);
  }

  /** @internal A message's deferred results can no longer be asked for: give back what they still owe. */
  releaseDeferred(owed: DeferredOwed): void {
    if (owed.done) return;
    owed.done = true;
    deferredRegistry.unregister(owed);
    if (this.closeReason) return;
    for (const id of owed.ids) if (id > 0) this.lifetime.releaseOrphan(id);
  }

  /** Release the owed refs of collected tokens without waiting for the registry (it can stall). */
  private sweepDeferred(): void {
    const live: { ref: WeakRef<object>; owed: DeferredOwed }[] = [];
    for (const t of this.deferredTokens) {
      if (t.owed.done) continue;
      if (t.ref.deref() === undefined) this.releaseDeferred(t.owed);
      else live.push(t);
    }
    this.deferredTokens = live;
    this.deferredSweepAt = Math.max(MIN_DEFERRED_SWEEP, 2 * live.length);
  }

  private releaseOrphans(w: unknown): void {
    const ids: number[] = [];
    refsOf(w, ids);
    for (const id of ids) this.lifetime.releaseOrphan(id);
  }

  // ---------------------------------------------------------------- streams

  /**
   * Open a subscription: sends a `sub` frame built by `frame(id)`; values arrive on `sink`.
   * Returns the subscription id; {@link closeStream} ends it.
   */
  openStream(frame: Record<string, unknown>, sink: StreamIn): number {
    const id = this.nextId++;
    frame.id = id;
    if (this.closeReason) {
      sink.error(this.closeError);
      return id;
    }
    this.streams.set(id, sink);
    this.send(frame);
    return id;
  }

  /** The renderer unsubscribed. */
  closeStream(id: number): void {
    if (!this.streams.delete(id)) return;
    this.acks.delete(id);
    this.send({ t: 'unsub', id });
  }

  // ---------------------------------------------------------------- close

  private closed(reason: CloseReason): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    const err = reason.kind === 'refused' && reason.detail?.startsWith('E_VERSION')
      ? new RemoraError('E_VERSION', `Main refused the handshake: ${reason.detail}. Run the same remora version on both sides.`)
      : errors.closed(reason.detail ?? reason.kind);
    this.closeError = err;
    this.refused(err);
    for (const call of [...this.pending.values()]) this.settle(call, false, err);
    this.pending.clear();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.error(err);
    this.callbacks.clear();
    this.callbackSends.clear();
    // Main dropped every ref of this renderer: deferred results owe it nothing any more.
    for (const t of this.deferredTokens) {
      t.owed.done = true;
      deferredRegistry.unregister(t.owed);
    }
    this.deferredTokens = [];
    this.group = undefined;
    this.lifetime.clear();
    this.out = [];
    this.acks.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.subscription.unsubscribe();
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.frameSubject.complete();
  }

  /** Close the connection: main releases everything this renderer held. */
  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.closeReason) return;
    this.lifetime.flush(); // queue pending releases first, so they leave with the last message
    this.flush();
    this.closed(reason);
    this.transport.close(reason);
  }
}

/** The async handle factory, installed by the handles module (avoids an import cycle). */
export const asyncFlavour: { current: HandleFactory | undefined } = { current: undefined };

function reportCallbackError(e: unknown): void {
  // A throwing renderer callback must not break the connection: report it the way the host does.
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(e);
  else console.error('remora: a callback invoked by main threw:', e);
}
