/**
 * A session: everything main knows about one connected renderer (one page load, one worker).
 *
 * The session owns the renderer's tables and routes between the units that work on them:
 * intake (frames in), requests and the pipeline (calls and their targets), operations (what a
 * call does), reply encoding and value decoding (values out and in, for the owning actor),
 * callbacks, listeners, subscriptions, the outbox (frames out) and the session's end. When
 * the connection closes (reload, navigation, crash, exit) it empties all of them: listeners
 * are detached from their emitters, streams stop, callbacks turn into no-ops and the ref
 * table empties. docs/architecture-main.md follows one call through these files.
 * @packageDocumentation
 */
import type { Subscription } from 'rxjs';
import type { Actor } from '../actor/actor.js';
import type { Inspector } from '../actor/inspect.js';
import type { Supervisor } from '../actor/supervisor.js';
import { toRenderer, type MainFrame } from '../protocol/index.js';
import type { ErrorStacks } from '../protocol/thrown.js';
import type { CloseReason, Transport } from '../transport.js';
import type { RemoraError } from '../errors.js';
import type { BudgetPools } from './budget.js';
import { CallbackTable, type CallbackProxy } from './callbacks.js';
import { Intake, type IntakeHost } from './intake.js';
import type { Limits } from './limits.js';
import { ListenerRegistry } from './listeners.js';
import { Outbox } from './outbox.js';
import { Pipeline } from './pipeline.js';
import { RefTable } from './ref-table.js';
import { ReplyEncoder } from './reply-encoding.js';
import { type RequestHost, Requests } from './requests.js';
import { SessionEnd } from './session-end.js';
import { Subscriptions } from './subscriptions.js';
import { ValueDecoder } from './value-decoding.js';

/**
 * What a session asks of its broker ({@link Broker} implements it).
 * @internal
 */
export interface SessionHost {
  /** The per-session limits every session of this broker enforces. */
  readonly limits: Limits;
  /** Where the session reports what it does (and whose clock it reads). */
  readonly inspector: Inspector;
  /** The root group new session-scoped actors are placed under. */
  readonly supervisor: Supervisor;
  /** Whether errors sent to renderers keep main's stacks (the broker's `errorStacks` option). */
  readonly errorStacks?: ErrorStacks;
  /** A fresh session id (unique within the broker). */
  nextSessionId(): string;
  /** Resolve `require`/`global`/`current` to an actor; throws `E_DENIED`. */
  lookup(session: Session, kind: 'require' | 'global' | 'current', name: string): Actor;
  /** The session ended; the broker forgets it. */
  sessionEnded(session: Session): void;
  /** The broker-wide totals this session's tables draw on (none: unbounded). */
  readonly pools?: BudgetPools;
}

/** A snapshot of a session's tables, for tests and tooling. */
export interface SessionStats {
  /** Main objects the renderer holds handles to (bounded by `limits.maxRefs`). */
  refs: number;
  /** Calls received and not yet answered (bounded by `limits.maxPending`). */
  pending: number;
  /** Renderer functions main holds as callbacks (bounded by `limits.maxCallbacks`). */
  callbacks: number;
  /** Renderer callbacks main code attached as listeners (`on`, `addEventListener`, ...); detached when the session ends. */
  listeners: number;
  /** Open streams: the renderer's subscriptions to main-side Observables and emitter events (bounded by `limits.maxSubscriptions`). */
  subscriptions: number;
  /** Open pipes: calls whose results later calls of the same message build on (`a.b().c()` in one round trip). */
  pipes: number;
  /** Stream values main holds for this renderer right now (flow control bounds it). */
  buffered: number;
}

/** A connected renderer, as main sees it. */
export class Session {
  /** Unique id within its broker (also in inspection events and call contexts). */
  readonly id: string;
  /** Renderer generation from the handshake (bumped by the renderer's host on reload). */
  generation = 0;
  /** Renderer's self-reported name from the handshake. */
  name: string | undefined;
  /** @internal The objects this renderer holds, by ref id (their count is `stats().refs`). */
  readonly refs: RefTable;
  /** When it opened, on the clock of `InspectEvent.at` (the broker's inspector clock). */
  readonly openedAt: number;

  private readonly end: SessionEnd;
  private readonly outbox: Outbox;
  private readonly pipeline: Pipeline;
  private readonly encoder: ReplyEncoder;
  private readonly callbacks: CallbackTable;
  private readonly listeners = new ListenerRegistry();
  private readonly requests: Requests;
  private readonly subscriptions: Subscriptions;
  private readonly intake: Intake;
  private readonly subscription: Subscription;

  constructor(
    private readonly host: SessionHost,
    private readonly transport: Transport,
    /** Transport-provided facts about the renderer (e.g. `webContentsId`). */
    readonly info: Readonly<Record<string, unknown>> = {},
  ) {
    const session = this;
    const { limits, inspector, supervisor } = host;
    this.id = host.nextSessionId();
    this.openedAt = inspector.now();
    this.refs = new RefTable(limits.maxRefs, host.pools?.refs);
    this.end = new SessionEnd((e) => this.dropped(e));
    this.pipeline = new Pipeline({ id: this.id, refs: this.refs, supervisor, get closed() { return session.closed; } });
    this.outbox = new Outbox(transport, {
      get closed() { return session.closed; },
      get settling() { return session.pipeline.settling; },
      gather: () => this.gather(),
      encodeError: (e) => this.encoder.error(e),
      discard: (w) => this.encoder.discard(w),
      streamFailed: (id) => queueMicrotask(() => this.subscriptions.stop(id)),
      dropped: (e) => this.dropped(e),
      close: (reason) => this.close(reason),
    }, limits);
    const send = (frame: MainFrame, sync?: boolean): void => this.outbox.send(frame, sync);
    const sendNow = (transfer: readonly ArrayBuffer[]): void => this.outbox.urgent(transfer);
    this.encoder = new ReplyEncoder(this.refs, { send, sendNow, get closed() { return session.closed; } }, transport.binary ?? 'clone', host.errorStacks);
    this.callbacks = new CallbackTable({
      maxCallbacks: limits.maxCallbacks,
      invoke: (id, proxy, owner, args) => this.invokeCallback(id, proxy, owner, args),
      scheduleFlush: () => this.outbox.schedule(),
      pool: host.pools?.callbacks,
    });
    const decoder = new ValueDecoder(this.pipeline, this.callbacks, { maxDepth: limits.maxDepth, maxBytes: limits.maxFrameBytes });
    const parts = { id: this.id, pipeline: this.pipeline, decoder, encoder: this.encoder, send };
    this.requests = new Requests(this.requestHost(parts));
    this.subscriptions = new Subscriptions({ ...parts, limits, scheduleFlush: () => this.outbox.schedule(), bufferedPool: host.pools?.buffered });
    this.intake = new Intake(this.intakeHost());
    inspector.emit('session-opened', { session: this.id });
    this.subscription = transport.messages$.subscribe({
      next: (m) => this.receive(m),
      complete: () => this.close({ kind: 'closed' }),
      error: (e) => this.close({ kind: 'error', detail: String(e) }),
    });
    this.subscription.add(transport.closed$.subscribe((reason) => this.close(reason)));
  }

  /** What the request table needs: the shared parts, the session's end, the broker's lookup, the operation scope. */
  private requestHost(parts: Pick<RequestHost, 'id' | 'pipeline' | 'decoder' | 'encoder' | 'send'>): RequestHost {
    const session = this;
    const { limits } = this.host;
    return {
      ...parts,
      info: this.info,
      maxPending: limits.maxPending,
      inspector: this.host.inspector,
      pendingPool: this.host.pools?.pending,
      get closed() { return session.closed; },
      get endSignal() { return session.endSignal; },
      onEnd: (fn) => this.onEnd(fn),
      lookup: (kind, name) => this.host.lookup(this, kind, name),
      operations: {
        listeners: this.listeners,
        maxListeners: limits.maxCallbacks,
        ownsCallback: (fn) => this.callbacks.owns(fn),
        get closed() { return session.closed; },
      },
    };
  }

  /** Where intake routes each kind of frame. */
  private intakeHost(): IntakeHost {
    const session = this;
    return {
      id: this.id,
      limits: this.host.limits,
      inspector: this.host.inspector,
      get closed() { return session.closed; },
      greeted: (gen, name) => {
        this.generation = gen;
        this.name = name;
      },
      request: (f) => this.requests.start(f),
      subscribe: (f) => this.subscriptions.subscribe(f),
      releaseRefs: (pairs) => this.releaseRefs(pairs),
      cancel: (id) => void (this.requests.cancel(id) || this.subscriptions.stop(id)),
      unsubscribe: (id) => void this.subscriptions.stop(id),
      ack: (id, n) => this.subscriptions.ack(id, n),
      messageEnded: () => this.pipeline.messageEnded(),
      refuse: (id, error, sync) => this.send(toRenderer.fail(id, this.encoder.error(error)), sync),
      dropped: (e) => this.dropped(e),
      send: (frame) => this.send(frame),
      flush: () => this.flush(),
      close: (reason) => this.close(reason),
    };
  }

  /** True once the session ended. */
  get closed(): boolean {
    return this.end.ended;
  }

  /** Why it ended. */
  get closeReason(): CloseReason | undefined {
    return this.end.reason;
  }

  /** Sizes of this session's tables. */
  stats(): SessionStats {
    return {
      refs: this.refs.size,
      pending: this.requests.size,
      callbacks: this.callbacks.size,
      listeners: this.listeners.size,
      subscriptions: this.subscriptions.size,
      pipes: this.pipeline.size,
      buffered: this.subscriptions.buffered,
    };
  }

  /**
   * Refuse this session before it starts (the broker is at `budget.maxSessions`): the renderer
   * is told `bye` with `error`'s code and message, and the session closes.
   */
  refuse(error: RemoraError): void {
    this.send(toRenderer.bye(error.message, error.remoraCode));
    this.flush();
    this.close({ kind: 'refused', detail: error.remoraCode });
  }

  /** Handle one inbound message (a frame or a batch). Never throws. */
  receive(message: unknown): void {
    this.intake.receive(message);
  }

  /** Queue a frame; frames go out batched at the end of the tick. Replies to sync requests go at once. */
  send(frame: MainFrame, sync = false): void {
    this.outbox.send(frame, sync);
  }

  /** Send everything queued now. */
  flush(): void {
    this.outbox.flush();
  }

  /** Aborted (with `E_CLOSED`) when this session ends; made on first use. */
  get endSignal(): AbortSignal {
    return this.end.signal;
  }

  /** Run `fn` when this session ends (at once if it has); returns a function that cancels it. */
  onEnd(fn: () => void): () => void {
    return this.end.onEnd(fn);
  }

  /** The tick's last frames, just before the outbox sends: stream values, then freed callbacks. */
  private gather(): void {
    this.subscriptions.flushDirty();
    const freed = this.callbacks.takeFreed();
    if (freed) this.outbox.queue(freed);
  }

  /** Main code called a renderer callback: tell the renderer, with the arguments encoded for `owner`. */
  private invokeCallback(id: number, proxy: CallbackProxy, owner: Actor, args: unknown[]): void {
    // After the session ends a callback is inert: calling it is a no-op, never an exception.
    if (this.closed) return;
    this.listeners.forgetFiredOnce(proxy);
    let wire;
    try {
      wire = this.encoder.values(args, owner);
    } catch (e) {
      this.dropped(e);
      return;
    }
    this.send(toRenderer.cb(id, wire));
  }

  private releaseRefs(pairs: number[]): void {
    for (let i = 0; i < pairs.length; i += 2) {
      const dropped = this.refs.release(pairs[i]!, pairs[i + 1]!);
      if (dropped && this.host.inspector.active) this.host.inspector.emit('released', { session: this.id, actor: dropped.actor.path, detail: `ref ${dropped.id}` });
    }
  }

  private dropped(e: unknown): void {
    this.host.inspector.emit('dropped', { session: this.id, detail: e instanceof Error ? `${(e as { code?: string }).code}: ${e.message}` : String(e) });
  }

  /**
   * End the session: abort calls and pipes, stop streams, detach listeners, make callbacks
   * inert, empty the ref table and the outbox, close the transport, tell the broker, then run
   * the end hooks. Idempotent; never throws.
   */
  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.closed) return;
    this.end.begin(reason);
    const aborted = this.end.error();
    this.requests.abortAll(aborted);
    this.pipeline.rejectAll(aborted);
    this.subscriptions.stopAll();
    this.listeners.detachAll((e) => this.dropped(e));
    this.callbacks.clear();
    this.refs.clear();
    this.outbox.clear();
    this.subscription.unsubscribe();
    try {
      this.transport.close(reason);
    } catch {
      /* already closed */
    }
    this.host.inspector.emit('session-closed', { session: this.id, detail: reason.kind });
    this.host.sessionEnded(this);
    this.end.finish(aborted);
  }
}
