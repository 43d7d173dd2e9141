/**
 * An actor: one main-side object (its "instance") behind a bounded mailbox, owned by a
 * {@link Supervisor} that decides what happens when a message fails.
 *
 * Messages start in arrival order. A `serial` mailbox starts the next message only when the
 * previous one (including the promise it returned) has settled; a `concurrent` mailbox lets
 * up to `maxConcurrent` run at once. When the mailbox is idle a message runs inline, so the
 * actor layer adds no tick to a call.
 *
 * The actor runs messages, times their deadlines and carries out restarts and stops; the parts
 * it is made of have their own files: the queue and its in-flight limit (`mailbox.ts`), restart
 * intensity and backoff (`restart-policy.ts`), how a failure is read (`failure.ts`), the clock
 * (`clock.ts`, reached through the {@link Inspector}). It knows its group only through the
 * {@link ActorParent} contract, which `supervisor.ts` implements.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import { isThenable } from '../protocol/classify.js';
import { type ActorFailure, describeFailure as describe, isCallerFault, thenableResult } from './failure.js';
import type { Inspector } from './inspect.js';
import { Mailbox } from './mailbox.js';
import { Backoff, type BackoffOptions, type Directive, RestartIntensity } from './restart-policy.js';

// The directive and backoff types belong to the restart policy; they are part of the actor's options.
export type { ActorFailure, BackoffOptions, Directive };

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
  /** The member the message names (e.g. `add`), for inspection; read only while `inspect$` is observed. */
  readonly method?: string;
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

/** The identifying fields of a message, as dead letters and inspection report them. */
export type MessageMeta = Pick<Envelope, 'session' | 'id' | 'op'>;

/**
 * What an actor needs from the group that supervises it. {@link Supervisor} implements it;
 * the actor depends on this contract only, so the supervisor may know actors without a cycle.
 */
export interface ActorParent {
  /** Take `actor` as a child (the actor's constructor calls this). */
  adopt(actor: Actor): void;
  /** Forget `actor` as a child (when its exposure is withdrawn). */
  release(actor: Actor): void;
  /** Report a message that could not be delivered. */
  deadLetter(actor: Actor | string, env: MessageMeta, reason: string): void;
  /** A message of `child` failed: apply the child's directive. */
  childFailed(child: Actor, error: unknown): void;
  /** `child` gave up (restart failed or intensity exceeded): handle the escalation. */
  childEscalated(child: Actor, error: unknown): void;
}

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
  /** Its last failure of its own (not a caller's fault), kept whether or not `inspect$` is observed. */
  lastFailure: ActorFailure | undefined = undefined;
  private readonly mailbox: Mailbox<Envelope>;
  private readonly intensity: RestartIntensity;
  private readonly backoff: Backoff;
  private readonly deadlineMs: number | undefined;
  private created = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Path used in inspection, e.g. `module/fs`. */
    readonly path: string,
    private readonly factory: () => unknown,
    /** The actor's mailbox and supervision options. */
    readonly options: ActorOptions,
    /** The group that supervises this actor (a {@link Supervisor}). */
    readonly supervisor: ActorParent,
    private readonly inspector: Inspector,
  ) {
    const mb = options.mailbox ?? {};
    this.mailbox = new Mailbox(mb.mode === 'serial' ? 1 : Math.max(1, mb.maxConcurrent ?? 256), Math.max(0, mb.capacity ?? 10_000));
    this.deadlineMs = mb.deadlineMs;
    const sv = options.supervision;
    this.intensity = new RestartIntensity(sv?.maxRestarts ?? 3, sv?.withinMs ?? 5000, inspector.now);
    this.backoff = new Backoff(sv?.backoff);
    supervisor.adopt(this);
  }

  /**
   * Create the instance on first use (module actors are lazy). Throws what the factory throws.
   * On a stopped actor it reports `env` (when given) as a dead letter and throws `E_ACTOR_STOPPED`,
   * so a renderer cannot obtain a fresh handle to an actor that answers nothing.
   */
  ensureStarted(env?: MessageMeta): void {
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
    return this.mailbox.queued;
  }

  /** Messages running now. */
  get running(): number {
    return this.mailbox.running;
  }

  /** Deliver a message. Runs it now when the mailbox is idle, queues it, or refuses it. */
  tell(env: Envelope): void {
    if (this.state === 'stopped') {
      this.supervisor.deadLetter(this, env, 'stopped');
      env.fail(this.stoppedError());
      return;
    }
    if (this.state === 'running' && this.mailbox.idle) {
      this.start(env);
      return;
    }
    if (this.mailbox.full) {
      this.inspector.emit('mailbox-full', { actor: this.path, session: env.session, id: env.id, op: env.op });
      env.fail(errors.mailboxFull({ actor: this.path, capacity: this.mailbox.capacity }));
      return;
    }
    this.mailbox.enqueue(env);
  }

  private stoppedError(): RemoraError {
    return errors.actorStopped({ actor: this.path });
  }

  private start(env: Envelope): void {
    this.mailbox.begin();
    // Failures are charged to the incarnation that ran the message, never to a later one.
    const incarnation = this.incarnation;
    const started = this.inspector.active ? this.inspector.now() : 0;
    if (started) this.inspector.emit('started', { actor: this.path, session: env.session, id: env.id, op: env.op, method: env.method });
    let result: unknown;
    try {
      if (!this.created) this.ensureStarted();
      result = env.run(this.instance);
    } catch (err) {
      this.finish(env, started, false, err, incarnation);
      return;
    }
    if (env.detach || !thenableResult(result)) {
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
        const err = errors.actorDeadline({ actor: this.path, ms });
        settled = true; // before abort: the call's abort hook must not abandon it a second time
        env.abort?.(err);
        this.finish(env, started, false, err, incarnation);
      }, ms);
    }
    if (this.mailbox.limit > 1) {
      env.abandon = () => settle(false, errors.callerGaveUp({ actor: this.path }));
    }
    try {
      (result as PromiseLike<unknown>).then(
        (v) => settle(true, v),
        (e) => settle(false, e),
      );
    } catch (err) {
      settle(false, err); // a thenable whose `then` throws fails the message like a rejection
    }
  }

  private finish(env: Envelope, started: number, ok: boolean, value: unknown, incarnation: number): void {
    this.mailbox.end();
    if (ok) {
      if (started) this.inspector.emit('replied', { actor: this.path, session: env.session, id: env.id, op: env.op, method: env.method, ms: this.inspector.now() - started });
      this.backoff.reset();
      env.reply(value);
    } else {
      // Errors raised by remora itself about the request (denied, bad value, no such object) are
      // the caller's fault, not the actor's: they do not reach the supervisor. Nor does a late
      // failure of a message that an earlier incarnation started (a concurrent mailbox may still
      // have some running): the supervisor already dealt with that incarnation.
      const own = !isCallerFault(value);
      const detail = own || started || this.inspector.active ? describe(value) : '';
      if (own) this.noteFailure(detail, false);
      if (started || this.inspector.active) this.inspector.emit('failed', { actor: this.path, session: env.session, id: env.id, op: env.op, method: env.method, ms: started ? this.inspector.now() - started : 0, detail });
      env.fail(value);
      if (own && incarnation === this.incarnation && this.state === 'running') this.supervisor.childFailed(this, value);
    }
    this.drain();
  }

  private noteFailure(detail: string, report: boolean): void {
    this.lastFailure = { detail, at: this.inspector.now() };
    if (report) this.inspector.emit('failed', { actor: this.path, detail });
  }

  /** Start waiting messages while there is room. */
  drain(): void {
    while (this.state === 'running' && this.mailbox.hasRoom) {
      const env = this.mailbox.take();
      if (env === undefined) return;
      this.start(env);
    }
  }

  /**
   * The directive for this failure, from the actor's own options. A strategy function that
   * throws (or answers no directive) is reported on `inspect$` and the actor resumes.
   */
  decide(error: unknown): Directive {
    const s = this.options.supervision?.strategy ?? 'resume';
    if (typeof s !== 'function') return s;
    try {
      const d = s(error, this);
      if (d === 'resume' || d === 'restart' || d === 'stop' || d === 'escalate') return d;
      this.inspector.emit('failed', { actor: this.path, detail: `strategy answered no directive (${describe(d)}); resuming` });
    } catch (err) {
      this.inspector.emit('failed', { actor: this.path, detail: `strategy threw (${describe(err)}); resuming` });
    }
    return 'resume';
  }

  /**
   * Count a restart against the actor's restart intensity. Returns false when the limit is
   * exceeded (the caller then stops and escalates).
   */
  allowRestart(): boolean {
    return this.intensity.allow();
  }

  /**
   * Restart: discard the instance and run the factory again after the backoff delay.
   * Messages arriving meanwhile wait in the (bounded) mailbox. Ref ids to the actor keep
   * working; refs to objects obtained from the old instance answer `E_STALE_REF`.
   */
  restart(error?: unknown): void {
    if (this.state !== 'running') return;
    this.state = 'restarting';
    const delay = this.backoff.next();
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
        this.noteFailure(`restart failed: ${describe(err)}`, true);
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
    const report = (err: unknown): void => this.noteFailure(`dispose on ${why} failed: ${describe(err)}`, true);
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
    for (const env of this.mailbox.takeAll()) this.tell(env);
  }
}
