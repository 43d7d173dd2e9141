/**
 * The renderer's bus: one connection to main over a transport, and the place its parts meet.
 *
 * The `hello` leaves at once and the handshake (handshake.ts) waits for main's `welcome`. A
 * request is a draft from the protocol's `toMain` builders; it gets its id here and a
 * {@link PendingCall} (pending-calls.ts) with a deadline (deadlines.ts) and an optional
 * AbortSignal; its frame queues in the per-tick outbox (outbox.ts), so calls made in one tick
 * leave as one message. Arguments are encoded and replies decoded by the value hosts
 * (value-hosts.ts), which make handles through the handle flavours this connection was given.
 * Inbound messages are validated frame by frame (inbound.ts: a malformed one closes the
 * connection with `E_PROTOCOL`) and each frame is dispatched by kind to pending calls,
 * deferred results (deferred-results.ts), subscriptions (subscriptions.ts) or callbacks
 * (callbacks.ts). The moment the transport closes, every pending call is rejected with
 * `E_CLOSED`: nothing hangs.
 *
 * The connection imports no handle module: the composition root (client.ts) passes in the
 * {@link HandleKinds} it works with, so importing a module changes nothing global.
 * @packageDocumentation
 */
import type { Observable, Subscription } from 'rxjs';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import {
  decode, issue, monotonicClock, parseMainFrame, toCallerError, toMain,
  type ByeFrame, type FailFrame, type MainFrame, type OkFrame, type RendererFrame, type RequestDraft, type RequestFrame, type SubscribeFrame, type Wire,
} from '../protocol/index.js';
import { Fanout } from '../protocol/fanout.js';
import { isSyncTransport, type CloseReason, type Transport } from '../transport.js';
import { Callbacks } from './callbacks.js';
import { type CallOptions, type ConnectOptions, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_TIMEOUT } from './connect-options.js';
import { Deadlines } from './deadlines.js';
import { Handshake } from './handshake.js';
import { DeferredResults } from './deferred-results.js';
import { byeErrorOf, dispatchFrame, receiveMessage, type InboundParts } from './inbound.js';
import { Lifetime, type RefState } from './lifetime.js';
import { Outbox } from './outbox.js';
import { callLabel, PendingCall, PendingCalls } from './pending-calls.js';
import { type StreamSink, Subscriptions } from './subscriptions.js';
import { type HandleEncoder, ValueHosts } from './value-hosts.js';

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
  /** Inbound frames (after un-batching and validation), for tooling. */
  readonly frames$: Observable<MainFrame>;
  /** Emits (and completes) when the connection closes. */
  readonly closed$: Observable<CloseReason>;
  /** The lifetime manager (ref cache and releases). @internal */
  readonly lifetime: Lifetime;
  /** Options in force. */
  readonly options: Required<Omit<ConnectOptions, 'name'>> & {
    /** Name reported to main, if one was given. */
    name?: string;
  };

  private nextId = 1;
  private readonly calls = new PendingCalls(() => this.deadlines.idle());
  private readonly deadlines: Deadlines;
  private readonly subscriptions = new Subscriptions();
  private readonly callbacks = new Callbacks();
  private readonly outbox: Outbox;
  private readonly values: ValueHosts<HandleFactory>;
  private readonly deferred: DeferredResults;
  /** What inbound frames act on (see inbound.ts). */
  private readonly inbound: InboundParts;
  private readonly frameSubject = new Fanout<MainFrame>();
  private readonly closedSubject = new Fanout<CloseReason>();
  private readonly subscription: Subscription;
  private closeReason: CloseReason | undefined;
  /** What calls made after the close fail with (E_VERSION after a refused handshake, else E_CLOSED). */
  private closeError: RemoraError | undefined;
  /** The wait for main's `welcome` (closes the connection if it does not come in time). */
  private readonly handshake: Handshake;

  /**
   * Open a connection over `transport` with the handle modules `handles` (use `connect`, which
   * passes the standard ones). The hello leaves at once.
   * @internal
   */
  constructor(
    /** The transport this connection runs on. */
    readonly transport: Transport,
    handles: HandleKinds,
    options: ConnectOptions = {},
  ) {
    this.options = {
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      syncTimeout: options.syncTimeout ?? DEFAULT_TIMEOUT,
      generation: options.generation ?? 0,
      releaseDelay: options.releaseDelay ?? 0,
      handshakeTimeout: options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT,
      name: options.name,
    };
    this.lifetime = new Lifetime((refs) => this.send(toMain.release(refs)), this.options.releaseDelay);
    this.outbox = new Outbox((message, transfer) => (transfer ? this.transport.send(message, transfer) : this.transport.send(message)));
    this.deadlines = new Deadlines(this.calls, (late) => this.expired(late));
    this.values = this.valueHosts(handles);
    this.deferred = new DeferredResults(this.calls, this.lifetime, (w, host) => this.values.decode(w, host));
    this.inbound = this.inboundParts();
    this.handshake = new Handshake(this.options.handshakeTimeout, (err) => this.end({ kind: 'timeout', detail: err.message }, err));
    this.ready = this.handshake.ready;
    this.frames$ = this.frameSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
    // Receive the transport's messages until it closes, whichever way it closes.
    this.subscription = transport.messages$.subscribe({
      next: (m) => this.receive(m),
      complete: () => this.tearDown({ kind: 'closed' }),
      error: (e) => this.tearDown({ kind: 'error', detail: String(e) }),
    });
    this.subscription.add(transport.closed$.subscribe((r) => this.tearDown(r)));
    this.send(toMain.hello(this.options.generation, options.name));
  }

  /** The encode and decode hosts, making handles with the flavours this connection was given. */
  private valueHosts(handles: HandleKinds): ValueHosts<HandleFactory> {
    return new ValueHosts<HandleFactory>({
      binary: this.transport.binary ?? 'clone', sendNow: (transfer) => this.outbox.urgent(transfer),
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
        this.handshake.welcomed();
      },
      dismissed: (bye: ByeFrame) => this.end({ kind: 'refused', detail: bye.reason }, byeErrorOf(bye)),
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

  /** How often the deadline timer woke this connection to check its calls (tests, inspection). */
  get deadlineWakeups(): number {
    return this.deadlines.wakeups;
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

  /** Queue a frame for the end of the tick. @internal */
  send(frame: RendererFrame): void {
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
   * @internal
   */
  request(draft: RequestDraft<RequestFrame>, flavour: HandleFactory, opts?: CallOptions): PendingCall {
    const frame = issue(draft, this.nextId++);
    const timeout = opts?.timeout ?? this.options.timeout;
    const call = new PendingCall(frame, monotonicClock() + timeout, this.values.hostFor(flavour));
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
    this.deadlines.arm(call.deadline);
    return call;
  }

  /** Fail `call` with `E_ABORTED` when `signal` fires, and take its frame back or cancel it in main. */
  private abortOn(signal: AbortSignal, call: PendingCall): void {
    const onAbort = (): void => {
      if (call.settled) return;
      this.calls.settle(call, false, errors.aborted(signal.reason));
      if (call.sent || !this.outbox.withdraw(call.frame)) this.send(toMain.cancel(call.frame.id));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call.cleanup = () => signal.removeEventListener('abort', onAbort);
  }

  /**
   * Deadlines passed: fail each call with `E_TIMEOUT` naming what it called (labelled before
   * any settles, so a pipelined call still finds the call it was aimed at), and tell main.
   */
  private expired(late: readonly PendingCall[]): void {
    const labels = late.map((call) => callLabel(call.frame, this.calls));
    late.forEach((call, i) => {
      this.calls.settle(call, false, errors.timeout({ ms: call.timeoutMs, method: labels[i] }));
      if (call.sent) this.send(toMain.cancel(call.frame.id));
    });
  }

  /**
   * A synchronous request: blocks until main answers (compatibility mode). Throws
   * `E_SYNC_UNSUPPORTED` on transports that cannot block.
   * @internal
   */
  requestSync(draft: RequestDraft<RequestFrame>, flavour: HandleFactory): unknown {
    if (this.closeError) throw this.closeError;
    const t = this.transport;
    if (!isSyncTransport(t)) throw errors.syncUnsupported();
    const id = this.nextId++;
    const frame = issue(draft, id, { s: 1 });
    this.flush(); // keep order: everything queued before this call goes first
    const raw = t.sendSync(frame, id, this.options.syncTimeout) as { t?: unknown };
    if (raw?.t !== 'ok' && raw?.t !== 'fail') throw errors.protocol({ what: `unexpected synchronous reply ${JSON.stringify(raw?.t)}` });
    const reply = parseMainFrame(raw) as OkFrame | FailFrame;
    const host = this.values.hostFor(flavour);
    if (reply.t === 'ok') return this.values.decode(reply.v, host);
    throw toCallerError(decode(reply.e, host));
  }

  // ---------------------------------------------------------------- values

  /** Encode call arguments (functions become callbacks, handles become refs). @internal */
  encodeArgs(args: readonly unknown[]): Wire[] {
    return this.values.encodeArgs(args);
  }

  /** Encode one value. @internal */
  encodeValue(v: unknown): Wire {
    return this.values.encode(v);
  }

  /** Decode a value from main with handles of the given flavour. @internal */
  decodeValue(w: unknown, flavour: HandleFactory): unknown {
    return this.values.decode(w, this.values.hostFor(flavour));
  }

  // ---------------------------------------------------------------- inbound

  /**
   * One message from main: each frame is validated, then dispatched. A malformed one closes
   * the connection with its `E_PROTOCOL`, which every pending call then fails with.
   */
  private receive(message: unknown): void {
    const bad = receiveMessage(message, this.onFrame);
    if (bad) this.end({ kind: 'error', detail: bad.message }, bad);
  }

  private readonly onFrame = (f: MainFrame): boolean => {
    if (this.closeReason) return false;
    if (this.frameSubject.observed) this.frameSubject.next(f);
    dispatchFrame(f, this.inbound);
    return true;
  };

  // ---------------------------------------------------------------- streams

  /**
   * Open a subscription: sends `frame` (a `sub`) with a new id; values arrive on `sink`.
   * Returns the subscription id; {@link closeStream} ends it.
   * @internal
   */
  openStream(draft: RequestDraft<SubscribeFrame>, sink: StreamSink): number {
    const id = this.nextId++;
    const frame = issue(draft, id);
    if (this.closeReason) {
      sink.error(this.closeError);
      return id;
    }
    this.subscriptions.add(id, sink);
    this.send(frame);
    return id;
  }

  /** The renderer unsubscribed. @internal */
  closeStream(id: number): void {
    if (!this.subscriptions.delete(id)) return;
    this.outbox.dropAcks(id);
    this.send(toMain.unsub(id));
  }

  // ---------------------------------------------------------------- close

  /**
   * The connection closed (either side): fail everything in flight with `err` (by default
   * `E_CLOSED` with the reason) and forget every table.
   */
  private tearDown(reason: CloseReason, err: RemoraError = errors.closed(reason.detail ?? reason.kind)): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.closeError = err;
    this.handshake.ended(err);
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
    this.end(reason);
  }

  /** Close from this side, failing what is in flight with `err` (see {@link tearDown}). */
  private end(reason: CloseReason, err?: RemoraError): void {
    if (this.closeReason) return;
    this.lifetime.flush(); // queue pending releases first, so they leave with the last message
    this.flush();
    this.tearDown(reason, err);
    this.transport.close(reason);
  }
}
