/**
 * The broker: main's side of remora. It decides what renderers may reach (deny by default),
 * runs every exposed object as a supervised actor, and keeps one {@link Session} per
 * connected renderer.
 *
 * @example
 * ```ts
 * import { createBroker } from 'remora/main'; // the composition root: a Broker with the default kinds
 * import { workerTransport } from 'remora/transports/worker';
 *
 * const broker = createBroker();
 * broker.exposeModule('fs', () => ({ readFileSync: (p: string) => fs.readFileSync(p, 'utf8') }));
 * broker.exposeGlobal('config', { theme: 'dark' });
 * broker.connect(workerTransport(new Worker('./renderer.js')));
 * ```
 * @packageDocumentation
 */
import { Subject, type Observable } from 'rxjs';
import type { Actor, ActorOptions } from '../actor/actor.js';
import { type ActorSpec, spawn } from '../actor/spec.js';
import { type InspectEvent, Inspector } from '../actor/inspect.js';
import { type DeadLetter, Supervisor, type SupervisorOptions } from '../actor/supervisor.js';
import * as errors from '../errors/factories.js';
import { defaultErrorStacks, type ErrorStacks } from '../protocol/thrown.js';
import type { Transport } from '../transport.js';
import type { BrokerKinds, GlobalKindOptions } from './kinds.js';
import { type Budget, type BudgetPools, budgetPools, defaultBudget } from './budget.js';
import { defaultLimits, type Limits } from './limits.js';
import { Session, type SessionHost, type SessionStats } from './session.js';
import type { ValidationOptions } from './validation.js';

/** What a policy hook is asked. */
export interface AccessRequest {
  /** The renderer asking (its `info` says which window, page or worker it is). */
  readonly session: Session;
  /** `require` (a module), `global`, or `current` (the caller's own window/webContents). */
  readonly kind: 'require' | 'global' | 'current';
  /** The module or global name asked for, or for `current` what of the caller's own (`window`, `webContents`). */
  readonly name: string;
}

/** Broker options. */
export interface BrokerOptions {
  /** Per-session limits; unspecified ones keep their defaults (see `docs/reliability.md`). */
  limits?: Partial<Limits>;
  /**
   * Extra say over what a session may reach, on top of what is exposed: return false to deny.
   * Use it for per-window policies (`req.session.info.webContentsId`).
   */
  policy?: (req: AccessRequest) => boolean;
  /** Resolve `current` requests (the Electron adapter supplies this). */
  current?: (session: Session, what: string) => Actor | undefined;
  /** Broker-wide caps across all sessions; unspecified ones keep their defaults (see `docs/reliability.md`). */
  budget?: Partial<Budget>;
  /**
   * Whether errors sent to renderers carry main's stacks (`full`) or only their first line
   * (`strip`: no file paths reach a page). Default: `strip` when `NODE_ENV` is `production`,
   * else `full`. See docs/security.md, "Error stacks".
   */
  errorStacks?: ErrorStacks;
}

/** Options when exposing something (schemas: {@link ValidationOptions}, docs/validation.md). */
export interface ExposeOptions extends ActorOptions, ValidationOptions {
  /** The supervisor group to place the actor under. Default: the broker's root. */
  supervisor?: Supervisor;
}

/** Options of {@link Broker.exposeModule}. */
export interface ModuleExposeOptions extends ExposeOptions {
  /**
   * `shared` (default): one actor serves every renderer. `session`: each session gets its own
   * actor (path `module/<name>@<session>`, its own instance, mailbox and restart budget),
   * created on that session's first `require` and stopped when the session closes, so a
   * failure in one renderer's actor never touches another renderer's.
   */
  scope?: 'shared' | 'session';
}

/** A module exposed with `scope: 'session'`: one actor per session, made on first use. */
export interface SessionScopedModule {
  /** Always `session`: what `exposeModule` returns for `scope: 'session'` instead of one actor. */
  readonly scope: 'session';
  /** The actor serving `session`, once that session has required the module. */
  actorFor(session: Session): Actor | undefined;
}

interface ScopedEntry extends SessionScopedModule {
  readonly spawnFor: (session: Session) => Actor;
  readonly actors: Map<Session, Actor>;
}

/** Totals over all sessions. */
export interface BrokerStats extends SessionStats {
  /** Live sessions (bounded by `budget.maxSessions`); the other counts are summed over them. */
  sessions: number;
}

/**
 * Main's side of remora. Create one with `createBroker` from `remora/main`, which hands in the
 * default actor kinds; `new Broker(kinds, options)` composes the kinds you give it.
 */
export class Broker implements SessionHost {
  /** The per-session limits in force: {@link defaultLimits} with `options.limits` applied. */
  readonly limits: Limits;
  /** The broker-wide caps (see {@link Budget}). */
  readonly budget: Budget;
  /** @internal The totals every session's tables draw on. */
  readonly pools: BudgetPools;
  /** @internal The sink behind {@link inspect$}; actors and sessions report to it. */
  readonly inspector = new Inspector();
  private readonly deadLetterSubject = new Subject<DeadLetter>();
  /** Root of the supervision tree. */
  readonly supervisor: Supervisor;
  private readonly modules = new Map<string, Actor>();
  private readonly scopedModules = new Map<string, ScopedEntry>();
  private readonly withdrawnScoped = new Set<ScopedEntry>();
  private readonly globals = new Map<string, Actor>();
  private readonly live = new Set<Session>();
  /** Session ids count per broker (`s1`, `s2`, ...). */
  private sessionCount = 0;

  /** Every inspection event (sessions, messages, failures, restarts, releases, dead letters). */
  readonly inspect$: Observable<InspectEvent>;
  /** Messages that reached a stopped or missing actor. */
  readonly deadLetters$: Observable<DeadLetter>;
  /** Whether errors sent to renderers keep main's stacks (see {@link BrokerOptions.errorStacks}). */
  readonly errorStacks: ErrorStacks;

  /**
   * @param kinds - the actor kinds `exposeModule` and `exposeGlobal` describe their actors with.
   * @param options - limits, policy and `current` resolution.
   */
  constructor(
    private readonly kinds: BrokerKinds,
    private readonly options: BrokerOptions = {},
  ) {
    this.limits = { ...defaultLimits, ...options.limits };
    this.budget = { ...defaultBudget, ...options.budget };
    this.pools = budgetPools(this.budget);
    this.errorStacks = options.errorStacks ?? defaultErrorStacks();
    this.supervisor = new Supervisor('root', { kind: 'one-for-one', onEscalation: 'stop' }, this.inspector, this.deadLetterSubject);
    this.inspect$ = this.inspector.events$;
    this.deadLetters$ = this.deadLetterSubject.asObservable();
  }

  /**
   * Expose a module for `require(name)`. `factory` runs on first use and again on restart.
   * @returns the module's actor.
   */
  exposeModule<T>(name: string, factory: () => T, options?: ModuleExposeOptions & { scope?: 'shared' }): Actor;
  /**
   * Expose a module with one actor per session (`scope: 'session'`).
   * @example
   * ```ts
   * broker.exposeModule('editor', () => new EditorService(), { scope: 'session', supervision: { strategy: 'restart' } });
   * ```
   */
  exposeModule<T>(name: string, factory: () => T, options: ModuleExposeOptions & { scope: 'session' }): SessionScopedModule;
  exposeModule<T>(name: string, factory: () => T, options: ModuleExposeOptions = {}): Actor | SessionScopedModule {
    const { scope, ...actorOptions } = options;
    if (scope !== 'session') return this.add(this.modules, name, this.kinds.module(name, factory, actorOptions), actorOptions);
    if (this.modules.has(name) || this.scopedModules.has(name)) throw errors.alreadyExposed({ name });
    const actors = new Map<Session, Actor>();
    const entry: ScopedEntry = {
      scope: 'session',
      actors,
      actorFor: (session) => actors.get(session),
      spawnFor: (session) => {
        let a = actors.get(session);
        if (!a) {
          a = spawn(this.kinds.module(`${name}@${session.id}`, factory, actorOptions), actorOptions.supervisor ?? this.supervisor, this.inspector);
          actors.set(session, a);
        }
        return a;
      },
    };
    this.scopedModules.set(name, entry);
    return entry;
  }

  /**
   * Expose a value for `getGlobal(name)`. Pass `options.factory` to build a fresh instance on restart.
   * @returns the global's actor.
   */
  exposeGlobal<T>(name: string, value: T, options: ExposeOptions & GlobalKindOptions = {}): Actor {
    return this.add(this.globals, name, this.kinds.global(name, value, options), options);
  }

  /** Spawn an actor from a spec (used by the actor kinds in `actors/`), not reachable by name. */
  spawn(spec: ActorSpec, supervisor: Supervisor = this.supervisor): Actor {
    return spawn(spec, supervisor, this.inspector);
  }

  private add(table: Map<string, Actor>, name: string, spec: ActorSpec, options: ExposeOptions): Actor {
    if (table.has(name) || (table === this.modules && this.scopedModules.has(name))) throw errors.alreadyExposed({ name });
    const actor = spawn(spec, options.supervisor ?? this.supervisor, this.inspector);
    table.set(name, actor);
    return actor;
  }

  /** Withdraw an exposed module or global; sessions holding refs keep them until released. */
  withdraw(kind: 'module' | 'global', name: string): void {
    const table = kind === 'module' ? this.modules : this.globals;
    const scoped = kind === 'module' ? this.scopedModules.get(name) : undefined;
    if (scoped) {
      // Sessions keep the actors they already have until they close; no new ones are made.
      this.scopedModules.delete(name);
      if (scoped.actors.size > 0) this.withdrawnScoped.add(scoped);
      return;
    }
    const actor = table.get(name);
    if (!actor) return;
    table.delete(name);
    actor.supervisor.release(actor);
  }

  /** A supervisor group under the root, for one-for-one or all-for-one policies. */
  group(name: string, options: SupervisorOptions = {}): Supervisor {
    return this.supervisor.group(name, options);
  }

  /**
   * Accept a renderer connection. Past `budget.maxSessions` live sessions the connection is
   * refused: the renderer is told `bye` with `E_TOO_MANY_SESSIONS` and the returned session is
   * closed already.
   */
  connect(transport: Transport, info: Record<string, unknown> = {}): Session {
    const s = new Session(this, transport, info);
    if (s.closed) return s;
    if (this.live.size >= this.budget.maxSessions) {
      s.refuse(errors.tooManySessions({ max: this.budget.maxSessions }));
      return s;
    }
    this.live.add(s);
    return s;
  }

  /** Live sessions. */
  get sessions(): ReadonlySet<Session> {
    return this.live;
  }

  /** Sums of every live session's tables (all zero when no renderer holds anything). */
  stats(): BrokerStats {
    const total: BrokerStats = { sessions: this.live.size, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0, buffered: 0 };
    for (const s of this.live) {
      const st = s.stats();
      total.refs += st.refs;
      total.pending += st.pending;
      total.callbacks += st.callbacks;
      total.listeners += st.listeners;
      total.subscriptions += st.subscriptions;
      total.pipes += st.pipes;
      total.buffered += st.buffered;
    }
    return total;
  }

  /** Close every session. */
  close(): void {
    for (const s of [...this.live]) s.close({ kind: 'shutdown' });
  }

  // SessionHost

  /** @internal */
  lookup(session: Session, kind: 'require' | 'global' | 'current', name: string): Actor {
    // The policy speaks first, so a refused renderer never makes main create anything.
    if (this.options.policy && !this.options.policy({ session, kind, name })) {
      throw errors.denied({ what: `the broker's policy refuses ${kind} "${name}" to this renderer` });
    }
    let actor: Actor | undefined;
    if (kind === 'require') actor = this.modules.get(name) ?? this.scopedModules.get(name)?.spawnFor(session);
    else if (kind === 'global') actor = this.globals.get(name);
    else actor = this.options.current?.(session, name);
    if (!actor) {
      const what = kind === 'require' ? `module "${name}" is not exposed` : kind === 'global' ? `global "${name}" is not exposed` : `"${name}" of the current window is not available`;
      throw errors.denied({ what, advice: `${this.suggest(session, kind, name).trim()} Main must expose it explicitly (see docs/security.md).`.trim() });
    }
    return actor;
  }

  /** ` Did you mean "x"?` from the exposed names near `name` that the policy lets this caller reach, else ''. */
  private suggest(session: Session, kind: 'require' | 'global' | 'current', name: string): string {
    if (kind === 'current') return '';
    const names = kind === 'require' ? [...this.modules.keys(), ...this.scopedModules.keys()] : [...this.globals.keys()];
    const allowed = (n: string): boolean => { try { return !this.options.policy || this.options.policy({ session, kind, name: n }) === true; } catch { return false; } };
    const near = names.filter((n) => isNearName(n, name)).filter(allowed).slice(0, 3);
    return near.length > 0 ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
  }

  /** @internal */
  nextSessionId(): string {
    return `s${++this.sessionCount}`;
  }

  /** @internal */
  sessionEnded(session: Session): void {
    this.live.delete(session);
    for (const entry of [...this.scopedModules.values(), ...this.withdrawnScoped]) {
      const a = entry.actors.get(session);
      if (!a) continue;
      entry.actors.delete(session);
      a.stop('session closed');
      a.supervisor.release(a);
      if (entry.actors.size === 0) this.withdrawnScoped.delete(entry);
    }
  }
}

/** True when `a` is a likely misspelling of `b`: one is a prefix of the other, or at most 2 edits apart (bounded). */
function isNearName(a: string, b: string): boolean {
  if (a === b || a.length > 64 || b.length > 64) return false;
  if (a.startsWith(b) || b.startsWith(a)) return Math.min(a.length, b.length) >= 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]! <= Math.min(2, Math.floor(Math.max(a.length, b.length) / 3));
}
