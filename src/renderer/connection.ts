/**
 * The renderer's bus: one connection to main over a transport, and the place its parts meet.
 *
 * A request gets an id and a {@link PendingCall} (pending-calls.ts) with a deadline
 * (deadlines.ts) and an optional AbortSignal; its frame queues in the per-tick outbox
 * (outbox.ts), so calls made in one tick leave as one message. Arguments are encoded and
 * replies decoded by the value hosts (value-hosts.ts), which make handles through the handle
 * flavours this connection was given. Inbound messages are un-batched here and each frame is
 * dispatched by kind (inbound.ts) to pending calls, deferred results (deferred-results.ts),
 * subscriptions (subscriptions.ts) or callbacks (callbacks.ts). The moment the transport
 * closes, every pending call is rejected with `E_CLOSED`: nothing hangs.
 *
 * The connection imports no handle module: the composition root (client.ts) passes in the
 * {@link HandleKinds} it works with, so importing a module changes nothing global.
 * @packageDocumentation
 */
import { BehaviorSubject, filter, type Observable, Subject, take, type Subscription } from 'rxjs';
import { errors, RemoraError } from '../errors.js';
import { decode, PROTOCOL_VERSION, toCallerError, type Wire } from '../protocol/index.js';
import { isSyncTransport, type CloseReason, type Transport } from '../transport.js';
import { Callbacks } from './callbacks.js';
import { Deadlines, now } from './deadlines.js';
import { DeferredResults } from './deferred-results.js';
import { dispatchFrame, type InboundFrame, type InboundParts } from './inbound.js';
import { Lifetime, type RefState } from './lifetime.js';
import { Outbox } from './outbox.js';
import { type CallFrame, PendingCall, PendingCalls } from './pending-calls.js';
import { type StreamSink, Subscriptions } from './subscriptions.js';
import { type HandleEncoder, ValueHosts } from './value-hosts.js';

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

/** Default async call deadline. */
export const DEFAULT_TIMEOUT = 30_000;

/** Makes the handles of one flavour (async, sync) for refs a connection received. */
export interface HandleFactory {
  /** The handle of this flavour for `state` (the existing one, if it is still alive). */
  handle(conn: Connection, state: RefState): unknown;
}

/** The handle modules a connection works with, passed in by whoever composes it (client.ts). */
export interface HandleKinds {
  /** The flavour of handles in values that arrive outside a call: stream values, callback arguments. */
  readonly events: HandleFactory;
  /** Encoders of handles passed as arguments (`['h', id]`), tried in order. */
  readonly encoders: readonly HandleEncoder[];
}

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
  private readonly calls = new PendingCalls();
  private readonly deadlines: Deadlines;
  private readonly subscriptions = new Subscriptions();
  private readonly callbacks = new Callbacks();
  private readonly outbox: Outbox;
  private readonly values: ValueHosts<HandleFactory>;
  private readonly deferred: DeferredResults;
  /** What inbound frames act on (see inbound.ts). */
  private readonly inbound: InboundParts;
  private readonly frameSubject = new Subject<Record<string, unknown>>();
  private readonly closedSubject = new BehaviorSubject<CloseReason | undefined>(undefined);
  private readonly subscription: Subscription;
  private closeReason: CloseReason | undefined;
  /** What calls made after the close fail with (E_VERSION after a refused handshake, else E_CLOSED). */
  private closeError: RemoraError | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (e: unknown) => void;

  constructor(readonly transport: Transport, handles: HandleKinds, options: ConnectOptions = {}) {
    this.options = {
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      syncTimeout: options.syncTimeout ?? DEFAULT_TIMEOUT,
      generation: options.generation ?? 0,
      releaseDelay: options.releaseDelay ?? 0,
      name: options.name,
    };
    this.lifetime = new Lifetime((refs) => this.send({ t: 'release', refs }), this.options.releaseDelay);
    this.outbox = new Outbox((message) => this.transport.send(message));
    this.deadlines = new Deadlines(this.calls, (call) => this.expired(call));
    this.values = this.valueHosts(handles);
    this.deferred = new DeferredResults(this.calls, this.lifetime, (w, host) => this.values.decode(w, host));
    this.inbound = this.inboundParts();
    this.ready = new Promise<void>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => undefined);
    this.frames$ = this.frameSubject.asObservable();
    this.closed$ = this.closedSubject.pipe(
      filter((r): r is CloseReason => r !== undefined),
      take(1),
    );
    // Receive the transport's messages until it closes, whichever way it closes.
    this.subscription = transport.messages$.subscribe({
      next: (m) => this.receive(m),
      complete: () => this.tearDown({ kind: 'closed' }),
      error: (e) => this.tearDown({ kind: 'error', detail: String(e) }),
    });
    this.subscription.add(transport.closed$.subscribe((r) => this.tearDown(r)));
    const hello: Record<string, unknown> = { t: 'hello', v: PROTOCOL_VERSION, gen: this.options.generation };
    if (options.name !== undefined) hello.name = options.name;
    this.send(hello);
  }

  /** The encode and decode hosts, making handles with the flavours this connection was given. */
  private valueHosts(handles: HandleKinds): ValueHosts<HandleFactory> {
    return new ValueHosts<HandleFactory>({
      binary: this.transport.binary ?? 'clone',
      handleEncoders: handles.encoders,
      callbacks: this.callbacks,
      lifetime: this.lifetime,
      calls: this.calls,
      makeHandle: (flavour, state) => flavour.handle(this, state),
      eventFlavour: handles.events,
    });
  }

  /** What inbound frames act on: the tables, and the handshake's two outcomes. */
  private inboundParts(): InboundParts {
    return {
      calls: this.calls,
      deferred: this.deferred,
      subscriptions: this.subscriptions,
      callbacks: this.callbacks,
      values: this.values,
      lifetime: this.lifetime,
      outbox: this.outbox,
      welcomed: (session) => {
        this.session = session;
        this.resolveReady();
      },
      dismissed: (reason) => this.close({ kind: 'refused', detail: reason }),
    };
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Calls in flight. */
  get pendingCount(): number {
    return this.calls.size;
  }

  /** Open subscriptions. */
  get streamCount(): number {
    return this.subscriptions.size;
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
    this.outbox.push(frame);
  }

  /** Send everything queued now, as one message. */
  flush(): void {
    this.outbox.flush();
  }

  /**
   * Start an async request. `frame` gets its id here; the returned call settles with the
   * reply, decoded with handles of `flavour`.
   */
  request(frame: Record<string, unknown>, flavour: HandleFactory, opts?: CallOptions): PendingCall {
    const id = this.nextId++;
    frame.id = id;
    const timeout = opts?.timeout ?? this.options.timeout;
    const call = new PendingCall(frame as CallFrame, now() + timeout, this.values.hostFor(flavour));
    call.timeoutMs = timeout;
    if (this.closeReason) {
      call.failNow(this.closeError);
      return call;
    }
    const signal = opts?.signal;
    if (signal) {
      if (signal.aborted) {
        call.failNow(errors.aborted(signal.reason));
        return call;
      }
      this.abortOn(signal, call);
    }
    this.calls.add(call);
    call.queued(this.outbox);
    this.send(frame);
    this.deadlines.arm();
    return call;
  }

  /** Fail `call` with `E_ABORTED` when `signal` fires, and take its frame back or cancel it in main. */
  private abortOn(signal: AbortSignal, call: PendingCall): void {
    const onAbort = (): void => {
      if (call.settled) return;
      this.calls.settle(call, false, errors.aborted(signal.reason));
      if (call.sent || !this.outbox.withdraw(call.frame)) this.send({ t: 'cancel', id: call.frame.id });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call.cleanup = () => signal.removeEventListener('abort', onAbort);
  }

  /** A call's deadline passed: fail it with `E_TIMEOUT`, and tell main if it was sent. */
  private expired(call: PendingCall): void {
    this.calls.settle(call, false, errors.timeout(call.timeoutMs, `${String(call.frame.t)} call`));
    if (call.sent) this.send({ t: 'cancel', id: call.frame.id });
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
    const host = this.values.hostFor(flavour);
    if (reply.t === 'ok') return this.values.decode(reply.v, host);
    if (reply.t === 'fail') throw toCallerError(decode(reply.e, host));
    throw new RemoraError('E_PROTOCOL', `Protocol violation: unexpected synchronous reply ${JSON.stringify(reply.t)}.`);
  }

  // ---------------------------------------------------------------- values

  /** Encode call arguments (functions become callbacks, handles become refs). */
  encodeArgs(args: readonly unknown[]): Wire[] {
    return this.values.encodeArgs(args);
  }

  /** Encode one value. */
  encodeValue(v: unknown): Wire {
    return this.values.encode(v);
  }

  /** Decode a value from main with handles of the given flavour. */
  decodeValue(w: unknown, flavour: HandleFactory): unknown {
    return this.values.decode(w, this.values.hostFor(flavour));
  }

  // ---------------------------------------------------------------- inbound

  private receive(message: unknown): void {
    const m = message as { t?: unknown; f?: unknown };
    if (m && m.t === 'batch' && Array.isArray(m.f)) for (const f of m.f) this.frame(f as InboundFrame);
    else this.frame(message as InboundFrame);
  }

  private frame(f: InboundFrame): void {
    if (this.frameSubject.observed) this.frameSubject.next(f);
    dispatchFrame(f, this.inbound);
  }

  // ---------------------------------------------------------------- streams

  /**
   * Open a subscription: sends `frame` (a `sub`) with a new id; values arrive on `sink`.
   * Returns the subscription id; {@link closeStream} ends it.
   */
  openStream(frame: Record<string, unknown>, sink: StreamSink): number {
    const id = this.nextId++;
    frame.id = id;
    if (this.closeReason) {
      sink.error(this.closeError);
      return id;
    }
    this.subscriptions.add(id, sink);
    this.send(frame);
    return id;
  }

  /** The renderer unsubscribed. */
  closeStream(id: number): void {
    if (!this.subscriptions.delete(id)) return;
    this.outbox.dropAcks(id);
    this.send({ t: 'unsub', id });
  }

  // ---------------------------------------------------------------- close

  /** The connection closed (either side): fail everything in flight and forget every table. */
  private tearDown(reason: CloseReason): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    const err = reason.kind === 'refused' && reason.detail?.startsWith('E_VERSION')
      ? new RemoraError('E_VERSION', `Main refused the handshake: ${reason.detail}. Run the same remora version on both sides.`)
      : errors.closed(reason.detail ?? reason.kind);
    this.closeError = err;
    this.rejectReady(err);
    this.calls.rejectAll(err);
    this.subscriptions.failAll(err);
    this.callbacks.clear();
    // Main dropped every ref of this renderer: deferred results owe it nothing any more.
    this.deferred.clear();
    this.lifetime.clear();
    this.outbox.stop();
    this.deadlines.stop();
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
    this.tearDown(reason);
    this.transport.close(reason);
  }
}
