/**
 * An actor: one main-side object (its "instance") behind a bounded mailbox, owned by a
 * {@link Supervisor} that decides what happens when a message fails.
 *
 * Messages start in arrival order. A `serial` mailbox starts the next message only when the
 * previous one (including the promise it returned) has settled; a `concurrent` mailbox lets
 * up to `maxConcurrent` run at once. When the mailbox is idle a message runs inline, so the
 * actor layer adds no tick to a call.
 * @packageDocumentation
 */
import { RemoraError } from '../errors.js';
import { type Inspector, now } from './inspect.js';
import type { Supervisor } from './supervisor.js';

/**
 * What a supervisor does with a failed actor (OTP/Pekko vocabulary): `resume` (reply with the
 * error, keep state), `restart` (fresh instance from the factory), `stop` (answer nothing more),
 * `escalate` (let the actor's group decide). See `docs/supervision.md`.
 */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate';

/** Exponential backoff between restarts. */
export interface BackoffOptions {
  /** First delay. */
  minMs: number;
  /** Largest delay. Default `minMs * 32`. */
  maxMs?: number;
  /** Growth per consecutive restart. Default 2. */
  factor?: number;
  /** Random spread, 0..1, applied as ±jitter × delay. Default 0.2. */
  jitter?: number;
}

/** How an actor's failures are handled. */
export interface SupervisionOptions {
  /** Directive per failure, or a function choosing one. Default `resume`. */
  strategy?: Directive | ((error: unknown, actor: Actor) => Directive);
  /** Restart intensity: at most `maxRestarts` restarts within `withinMs`, then stop and escalate. Default 3. */
  maxRestarts?: number;
  /** Window of the restart intensity. Default 5000 ms. */
  withinMs?: number;
  /** Delay restarts with exponential backoff and jitter. Default: restart at once. */
  backoff?: BackoffOptions;
  /**
   * Clean up an instance the actor discards: before a restart replaces it (`why` = `restart`)
   * or when the actor stops (`stop`). Like OTP's `terminate/2` and Pekko's `preRestart`/`postStop`:
   * close files, clear timers. Errors it throws are reported on `inspect$` and otherwise ignored.
   * @example
   * ```ts
   * broker.exposeModule('db', () => openDb(), { supervision: { strategy: 'restart', dispose: (db) => (db as Db).close() } });
   * ```
   */
  dispose?: (instance: unknown, why: 'restart' | 'stop') => unknown;
}

/** Mailbox settings. */
export interface MailboxOptions {
  /** `serial` waits for each message (and its promise); `concurrent` runs up to `maxConcurrent`. Default `concurrent`. */
  mode?: 'serial' | 'concurrent';
  /** In-flight limit of a concurrent mailbox. Default 256. */
  maxConcurrent?: number;
  /** Messages waiting beyond this many are refused with `E_MAILBOX_FULL`. Default 10 000. */
  capacity?: number;
  /** A handler still running after this many ms fails with `E_TIMEOUT` and counts as a failure. Default: none. */
  deadlineMs?: number;
}

/**
 * Options for one actor, given per exposed object.
 * @example
 * ```ts
 * broker.exposeModule('search', createSearch, {
 *   mailbox: { mode: 'serial', capacity: 100, deadlineMs: 2000 },
 *   supervision: { strategy: 'restart', maxRestarts: 3, withinMs: 10_000, backoff: { minMs: 100 } },
 * });
 * ```
 */
export interface ActorOptions {
  /** Ordering, concurrency, bound and deadline of the actor's mailbox. */
  mailbox?: MailboxOptions;
  /** What happens when a message fails. */
  supervision?: SupervisionOptions;
}

/** One message: what to run on the instance and where its outcome goes. */
export interface Envelope {
  /** The work, given the current instance. May return a promise. */
  run(instance: unknown): unknown;
  /** Success. */
  reply(value: unknown): void;
  /** Failure (the error thrown, or a RemoraError from the actor system). */
  fail(error: unknown): void;
  /** Session id of the sender, for inspection and dead letters. */
  readonly session?: string;
  /** Request id within the session, for inspection and dead letters. */
  readonly id?: number;
  /** Operation (`get`, `apply`, ...), for inspection and dead letters. */
  readonly op?: string;
  /**
   * Reply with a returned promise itself instead of waiting for it (synchronous callers get
   * a promise marker at once). The mailbox does not wait for such a promise.
   */
  readonly detach?: boolean;
  /** Called when the actor gives up on the message (its deadline passed), so the work can stop. */
  abort?(reason: RemoraError): void;
  /**
   * Set by a concurrent actor while it waits for the message's promise: calling it gives up
   * waiting (the caller cancelled, or its session ended), frees the mailbox slot and fails the
   * message with `E_ABORTED`. Serial actors never set it: their next message must not start
   * while this one may still be running.
   */
  abandon?: () => void;
}

/** Lifecycle state: `running`, `restarting` (waiting for its backoff; messages queue), `stopped` (final). */
export type ActorState = 'running' | 'restarting' | 'stopped';

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';

/**
 * A supervised actor. Created by the broker (`exposeModule`, `exposeGlobal`) or from an actor
 * kind's spec in `actors/` (`spawn`).
 */
export class Actor {
  /** Current incarnation's instance. */
  instance: unknown;
  /** Bumped on every restart; refs to derived objects remember the incarnation they came from. */
  incarnation = 0;
  /** Lifecycle state. */
  state: ActorState = 'running';
  /** Restart timestamps inside the intensity window. */
  private restarts: number[] = [];
  private consecutiveRestarts = 0;
  private readonly queue: Envelope[] = [];
  private queueHead = 0;
  private inFlight = 0;
  private readonly limit: number;
  private readonly capacity: number;
  private readonly deadlineMs: number | undefined;
  private created = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Path used in inspection, e.g. `module/fs`. */
    readonly path: string,
    private readonly factory: () => unknown,
    /** The actor's mailbox and supervision options. */
    readonly options: ActorOptions,
    /** The group that supervises this actor. */
    readonly supervisor: Supervisor,
    private readonly inspector: Inspector,
  ) {
    const mb = options.mailbox ?? {};
    this.limit = mb.mode === 'serial' ? 1 : Math.max(1, mb.maxConcurrent ?? 256);
    this.capacity = Math.max(0, mb.capacity ?? 10_000);
    this.deadlineMs = mb.deadlineMs;
    supervisor.adopt(this);
  }

  /**
   * Create the instance on first use (module actors are lazy). Throws what the factory throws.
   * On a stopped actor it reports `env` (when given) as a dead letter and throws `E_ACTOR_STOPPED`,
   * so a renderer cannot obtain a fresh handle to an actor that answers nothing.
   */
  ensureStarted(env?: Pick<Envelope, 'session' | 'id' | 'op'>): void {
    if (this.state === 'stopped') {
      this.supervisor.deadLetter(this, env ?? {}, 'stopped');
      throw this.stoppedError();
    }
    if (this.created) return;
    this.instance = this.factory();
    this.created = true;
  }

  /** Messages waiting (not yet started). */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Messages running now. */
  get running(): number {
    return this.inFlight;
  }

  /** Deliver a message. Runs it now when the mailbox is idle, queues it, or refuses it. */
  tell(env: Envelope): void {
    if (this.state === 'stopped') {
      this.supervisor.deadLetter(this, env, 'stopped');
      env.fail(this.stoppedError());
      return;
    }
    if (this.state === 'running' && this.inFlight < this.limit && this.queued === 0) {
      this.start(env);
      return;
    }
    if (this.queued >= this.capacity) {
      this.inspector.emit('mailbox-full', { actor: this.path, session: env.session, id: env.id, op: env.op });
      env.fail(new RemoraError('E_MAILBOX_FULL', `Actor ${this.path} has ${this.capacity} messages waiting; this one was refused. Retry later or raise mailbox.capacity.`));
      return;
    }
    this.queue.push(env);
  }

  private stoppedError(): RemoraError {
    return new RemoraError('E_ACTOR_STOPPED', `Actor ${this.path} was stopped by its supervisor and answers no more messages. Main must expose it again.`);
  }

  private start(env: Envelope): void {
    this.inFlight++;
    // Failures are charged to the incarnation that ran the message, never to a later one.
    const incarnation = this.incarnation;
    const started = this.inspector.active ? now() : 0;
    if (started) this.inspector.emit('started', { actor: this.path, session: env.session, id: env.id, op: env.op });
    let result: unknown;
    try {
      if (!this.created) this.ensureStarted();
      result = env.run(this.instance);
    } catch (err) {
      this.finish(env, started, false, err, incarnation);
      return;
    }
    if (!isThenable(result) || env.detach) {
      this.finish(env, started, true, result, incarnation);
      return;
    }
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The first of: the promise settles, the deadline passes, the caller gives up.
    const settle = (ok: boolean, value: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      this.finish(env, started, ok, value, incarnation);
    };
    if (this.deadlineMs !== undefined) {
      const ms = this.deadlineMs;
      timer = setTimeout(() => {
        if (settled) return;
        this.inspector.emit('timeout', { actor: this.path, session: env.session, id: env.id, op: env.op, ms });
        const err = new RemoraError('E_TIMEOUT', `Actor ${this.path} did not answer within its ${ms} ms deadline; its supervisor treats this as a failure.`);
        settled = true; // before abort: the call's abort hook must not abandon it a second time
        env.abort?.(err);
        this.finish(env, started, false, err, incarnation);
      }, ms);
    }
    if (this.limit > 1) {
      env.abandon = () => settle(false, new RemoraError('E_ABORTED', `The caller of ${this.path} gave up (cancelled, or its renderer went away); its mailbox slot is free again.`));
    }
    result.then(
      (v) => settle(true, v),
      (e) => settle(false, e),
    );
  }

  private finish(env: Envelope, started: number, ok: boolean, value: unknown, incarnation: number): void {
    this.inFlight--;
    if (ok) {
      if (started) this.inspector.emit('replied', { actor: this.path, session: env.session, id: env.id, op: env.op, ms: now() - started });
      this.consecutiveRestarts = 0;
      env.reply(value);
    } else {
      if (started || this.inspector.active) {
        this.inspector.emit('failed', { actor: this.path, session: env.session, id: env.id, op: env.op, ms: started ? now() - started : 0, detail: describe(value) });
      }
      env.fail(value);
      // Errors raised by remora itself about the request (denied, bad value, no such object) are
      // the caller's fault, not the actor's: they do not reach the supervisor. Nor does a late
      // failure of a message that an earlier incarnation started (a concurrent mailbox may still
      // have some running): the supervisor already dealt with that incarnation.
      if (!isCallerFault(value) && incarnation === this.incarnation && this.state === 'running') this.supervisor.childFailed(this, value);
    }
    this.drain();
  }

  /** Start waiting messages while there is room. */
  drain(): void {
    while (this.state === 'running' && this.inFlight < this.limit && this.queued > 0) {
      const env = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as never;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.start(env);
    }
    if (this.queued === 0 && this.queueHead > 0) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  /** The directive for this failure, from the actor's own options. */
  decide(error: unknown): Directive {
    const s = this.options.supervision?.strategy ?? 'resume';
    return typeof s === 'function' ? s(error, this) : s;
  }

  /**
   * Count a restart against the intensity limit. Returns false when the limit is exceeded
   * (the caller then stops and escalates).
   */
  allowRestart(): boolean {
    const max = this.options.supervision?.maxRestarts ?? 3;
    const within = this.options.supervision?.withinMs ?? 5000;
    const t = now();
    this.restarts = this.restarts.filter((r) => t - r < within);
    if (this.restarts.length >= max) return false;
    this.restarts.push(t);
    return true;
  }

  /** Delay before the next restart (0 without backoff). */
  backoffDelay(): number {
    const b = this.options.supervision?.backoff;
    if (!b) return 0;
    const factor = b.factor ?? 2;
    const max = b.maxMs ?? b.minMs * 32;
    const base = Math.min(max, b.minMs * factor ** this.consecutiveRestarts);
    const jitter = b.jitter ?? 0.2;
    return Math.max(0, Math.round(base * (1 + (Math.random() * 2 - 1) * jitter)));
  }

  /**
   * Restart: discard the instance and run the factory again after the backoff delay.
   * Messages arriving meanwhile wait in the (bounded) mailbox. Ref ids to the actor keep
   * working; refs to objects obtained from the old instance answer `E_STALE_REF`.
   */
  restart(error?: unknown): void {
    if (this.state !== 'running') return;
    this.state = 'restarting';
    const delay = this.backoffDelay();
    this.consecutiveRestarts++;
    this.inspector.emit('restarting', { actor: this.path, ms: delay, detail: error === undefined ? undefined : describe(error) });
    const go = (): void => {
      this.restartTimer = undefined;
      if (this.state !== 'restarting') return;
      this.disposeInstance('restart');
      this.created = false;
      try {
        this.instance = this.factory();
        this.created = true;
      } catch (err) {
        this.inspector.emit('failed', { actor: this.path, detail: `restart failed: ${describe(err)}` });
        this.stop(err);
        this.supervisor.childEscalated(this, err);
        return;
      }
      this.incarnation++;
      this.state = 'running';
      this.inspector.emit('restarted', { actor: this.path, ms: delay, detail: error === undefined ? undefined : describe(error) });
      this.drain();
    };
    if (delay > 0) this.restartTimer = setTimeout(go, delay);
    else go();
  }

  /**
   * Restart the actor even if it was stopped (a group restarting its whole subtree does this).
   * An actor already restarting is left to finish that restart.
   */
  revive(error?: unknown): void {
    if (this.state === 'stopped') this.state = 'running';
    this.restart(error);
  }

  private disposeInstance(why: 'restart' | 'stop'): void {
    const dispose = this.options.supervision?.dispose;
    if (!dispose || !this.created) return;
    const report = (err: unknown): void => this.inspector.emit('failed', { actor: this.path, detail: `dispose on ${why} failed: ${describe(err)}` });
    try {
      const r = dispose(this.instance, why);
      if (isThenable(r)) r.then(undefined, report);
    } catch (err) {
      report(err);
    }
  }

  /** Stop for good: waiting and later messages get `E_ACTOR_STOPPED` and become dead letters. */
  stop(reason?: unknown): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.inspector.emit('stopped', { actor: this.path, detail: reason === undefined ? undefined : describe(reason) });
    this.disposeInstance('stop');
    const waiting = this.queue.slice(this.queueHead);
    this.queue.length = 0;
    this.queueHead = 0;
    for (const env of waiting) this.tell(env);
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${(e as { code?: string }).code ?? e.name}: ${e.message}`;
  return String(e);
}

const CALLER_FAULTS = new Set(['E_DENIED', 'E_NO_OBJECT', 'E_STALE_REF', 'E_BAD_VALUE', 'E_PROTOCOL', 'E_INVALID_ARGS', 'E_UNKNOWN_ACTION', 'E_ABORTED']);

function isCallerFault(e: unknown): boolean {
  return e instanceof RemoraError && CALLER_FAULTS.has(e.remoraCode);
}
