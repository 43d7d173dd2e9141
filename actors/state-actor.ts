/**
 * The state actor: main owns a piece of state, every renderer holds a live immutable replica
 * of it (see `replica()` in `remora/renderer`), kept current by immer patches.
 *
 * Actions are named immer recipes. A renderer's `dispatch(name, ...args)` is a message in the
 * actor's mailbox (mailbox order, deadline and supervision like any actor); the recipe runs
 * with `produceWithPatches`, so a recipe that throws leaves the state untouched (immer's
 * transaction). The patches of every action applied in one tick go out as one update
 * `{ from, version, patches }`; a new subscriber first gets a full snapshot
 * `{ version, snapshot }`.
 *
 * @example
 * ```ts
 * import { createBroker } from 'remora/main';
 * import { stateActor } from 'remora/actors/state-actor';
 *
 * export const todos = stateActor({ items: [] as { text: string; done: boolean }[] }, {
 *   add(draft, text: string) { draft.items.push({ text, done: false }) },
 *   toggle: { recipe(draft, i: number) { draft.items[i].done = !draft.items[i].done },
 *             validate: (i) => Number.isInteger(i) || 'index must be an integer' },
 * });
 * const broker = createBroker();
 * todos.expose(broker, 'todos');        // renderers: replica<typeof todos>(await client.getGlobal('todos'))
 * await todos.dispatch('add', 'milk');  // main may dispatch too (through the same mailbox)
 * ```
 * @packageDocumentation
 */
import { enableMapSet, enablePatches, freeze, Immer, type Draft, type Patch } from 'immer';
import { Observable, Subject } from 'rxjs';
import type { Actor, ActorOptions } from '../src/actor/actor.js';
import { RemoraError } from '../src/errors.js';
import { encode, isPlainObject, type EncodeHost } from '../src/protocol/codec.js';
import type { ExposeOptions } from '../src/main/broker.js';
import type { ActorSpec } from '../src/actor/spec.js';

enablePatches();
enableMapSet();

// An own immer instance: the application's immer settings stay its own. Auto-freeze is off
// because the state is frozen once per tick (at publish), not after every action; strict
// iteration (symbol and non-enumerable keys) is off: the codec sends enumerable string keys only.
const immer = new Immer({ autoFreeze: false, useStrictIteration: false });

/**
 * An action's recipe: mutate the draft (or return a replacement state). Must be synchronous.
 * Extra parameters are the action's arguments, sent by the caller of `dispatch`.
 */
export type Recipe<S, P extends unknown[] = any[]> = (draft: Draft<S>, ...args: P) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * An action with an argument validator. `validate` gets the arguments as they arrived and
 * returns `true` to accept them, `false` or a reason string to refuse them (`E_INVALID_ARGS`).
 * @example
 * ```ts
 * { recipe: (d, n: number) => { d.count += n }, validate: (n) => typeof n === 'number' || 'n must be a number' }
 * ```
 */
export interface ActionDefinition<S, P extends unknown[] = any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly recipe: Recipe<S, P>;
  readonly validate?: (...args: unknown[]) => boolean | string;
}

/** The actions of a state actor, by name: a recipe, or a recipe with a validator. */
export type ActionMap<S> = Record<string, Recipe<S, any[]> | ActionDefinition<S, any[]>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The argument list of an action (what `dispatch(name, ...args)` takes after the name). */
export type ActionArgs<X> = X extends (draft: any, ...args: infer P) => unknown // eslint-disable-line @typescript-eslint/no-explicit-any
  ? P
  : X extends { recipe: (draft: any, ...args: infer P) => unknown } // eslint-disable-line @typescript-eslint/no-explicit-any
    ? P
    : never;

/** The first item of every subscription: the whole state at `version`. */
export interface StateSnapshot<S> {
  readonly version: number;
  readonly snapshot: S;
}

/** Every later item: the patches taking version `from` to `version` (one per tick). */
export interface StatePatches {
  readonly from: number;
  readonly version: number;
  readonly patches: Patch[];
}

/** What a state subscription carries on the wire. */
export type StateUpdate<S> = StateSnapshot<S> | StatePatches;

/** A published state with its version (what {@link StateActor.changes$} emits). */
export interface VersionedState<S> {
  readonly version: number;
  readonly state: S;
}

/**
 * What renderers reach: the object the actor wraps (`getGlobal(name)` gives a handle to it).
 * The replica uses it; application code uses the replica.
 */
export interface StateRemote<S, A> {
  /** Apply an action; returns the version after it. */
  dispatch<K extends keyof A & string>(name: K, ...args: ActionArgs<A[K]>): number;
  /** A snapshot, then one patch update per tick. */
  updates(): Observable<StateUpdate<S>>;
  /** The state as last published, with its version. */
  snapshot(): StateSnapshot<S>;
}

/** Options of a state actor. */
export interface StateActorOptions {
  /**
   * Freeze the initial state deeply, and what the actions of each tick changed (once per tick).
   * Default true. Off saves time on large states (see `docs/state.md`); immutability is then
   * by convention only.
   */
  freeze?: boolean;
}

/** The state type of a {@link StateActor} (for `replica<typeof store>`). */
export type StateOf<X> = X extends StateActor<infer S, any> ? S : never; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The action map of a {@link StateActor}. */
export type ActionsOf<X> = X extends StateActor<any, infer A> ? A : never; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A description of the first value in `v` that is not plain data, or undefined. */
function nonData(v: unknown, depth: number, seen: Set<object>): string | undefined {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
  if (depth > 64) return 'a value nested deeper than 64 levels';
  seen.add(v);
  if (v instanceof Date) return undefined;
  if (Array.isArray(v) || v instanceof Set) {
    for (const x of v) {
      const bad = nonData(x, depth + 1, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) {
      const bad = nonData(k, depth + 1, seen) ?? nonData(x, depth + 1, seen);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isPlainObject(v)) return `an instance of ${(v as { constructor?: { name?: string } }).constructor?.name || 'a class'}`;
  for (const x of Object.values(v)) {
    const bad = nonData(x, depth + 1, seen);
    if (bad) return bad;
  }
  return undefined;
}

const isThenable = (v: unknown): boolean =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';

/**
 * Main's side of shared state. Create it with {@link stateActor}; make it reachable with
 * {@link StateActor.expose} (or spawn {@link StateActor.spec} yourself).
 */
export class StateActor<S, A extends ActionMap<S>> {
  private current: S;
  private ver = 0;
  private publishedState: S;
  private publishedVersion = 0;
  private pending: Patch[] = [];
  private flushQueued = false;
  private readonly updateSubject = new Subject<StatePatches>();
  private readonly changeSubject = new Subject<VersionedState<S>>();
  private subscribers = 0;
  private actor: Actor | undefined;
  private readonly freezing: boolean;
  private applying = false;
  /** Actions changed the state since it was last frozen (freezing waits for the tick's end). */
  private unfrozen = false;

  /** The object renderers reach; only `dispatch`, `updates` and `snapshot` are on it. */
  readonly remote: StateRemote<S, A>;
  /** Every published state (one per tick with changes), as main-side code sees it. */
  readonly changes$: Observable<VersionedState<S>>;

  constructor(initial: S, private readonly actions: A, options: StateActorOptions = {}) {
    this.freezing = options.freeze !== false;
    this.current = this.freezing ? freeze(initial, true) : initial;
    this.publishedState = this.current;
    this.changes$ = this.changeSubject.asObservable();
    this.remote = {
      dispatch: (name, ...args) => this.apply(name, args),
      updates: () => this.updates(),
      snapshot: () => ({ version: this.publishedVersion, snapshot: this.publishedState }),
    };
  }

  /** The current state (including actions applied this tick, before they are published). */
  get state(): S {
    this.freezeNow();
    return this.current;
  }

  /**
   * Freeze what changed since the last freeze: once per tick, not once per action. immer's deep
   * freeze stops at frozen objects, so it walks only the containers the tick's actions copied.
   */
  private freezeNow(): void {
    if (!this.unfrozen) return;
    freeze(this.current, true);
    this.unfrozen = false;
  }

  /** The current version: 0 initially, +1 for every action that changed the state. */
  get version(): number {
    return this.ver;
  }

  /** Open subscriptions (renderer replicas and main-side ones). */
  get subscriberCount(): number {
    return this.subscribers;
  }

  /** The actor this state runs in, once exposed or bound. */
  get boundActor(): Actor | undefined {
    return this.actor;
  }

  /**
   * Apply an action now, in the caller's turn, bypassing the mailbox (the actor calls this
   * for each dispatch message). Main-side code should use {@link dispatch}.
   * @returns the version after the action.
   * @throws RemoraError `E_UNKNOWN_ACTION` or `E_INVALID_ARGS`; whatever the recipe throws.
   */
  apply(name: string, args: readonly unknown[]): number {
    const def = typeof name === 'string' && Object.hasOwn(this.actions, name) ? this.actions[name] : undefined;
    if (def === undefined) {
      throw new RemoraError('E_UNKNOWN_ACTION', `Unknown action ${JSON.stringify(String(name))}: this state actor has ${Object.keys(this.actions).map((k) => JSON.stringify(k)).join(', ') || 'no actions'}.`);
    }
    const recipe = typeof def === 'function' ? def : def.recipe;
    const validate = typeof def === 'function' ? undefined : def.validate;
    const bad = nonData(args, 0, new Set());
    if (bad !== undefined) {
      throw new RemoraError('E_INVALID_ARGS', `Invalid arguments for action "${name}": ${bad} cannot be part of state; send plain data. The state is unchanged.`);
    }
    if (this.applying) {
      throw new RemoraError('E_INVALID_ARGS', `Action "${name}" was dispatched from inside a recipe; a recipe must not dispatch. The state is unchanged.`);
    }
    if (validate) {
      let verdict: boolean | string;
      try {
        verdict = validate(...args);
      } catch (e) {
        verdict = e instanceof Error ? e.message : String(e);
      }
      if (verdict !== true) {
        throw new RemoraError('E_INVALID_ARGS', `Invalid arguments for action "${name}"${typeof verdict === 'string' ? `: ${verdict}` : ''}. The state is unchanged.`);
      }
    }
    let next: unknown;
    let patches: Patch[];
    this.applying = true;
    try {
      [next, patches] = immer.produceWithPatches(this.current, (draft: Draft<S>) => {
        const r = recipe(draft, ...(args as unknown[]));
        if (isThenable(r)) throw new TypeError(`The recipe of action "${name}" returned a promise; state recipes must be synchronous.`);
        return r as never;
      });
    } finally {
      this.applying = false;
    }
    if (patches.length === 0) return this.ver;
    this.current = next as S;
    this.ver++;
    for (const p of patches) this.pending.push(p);
    if (this.freezing) this.unfrozen = true;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.publish());
    }
    return this.ver;
  }

  /**
   * Dispatch an action through the actor's mailbox (directly when not exposed or bound).
   * Resolves with the version after it, once applied; rejects like a renderer's dispatch.
   */
  readonly dispatch = <K extends keyof A & string>(name: K, ...args: ActionArgs<A[K]>): Promise<number> => {
    const actor = this.actor;
    if (!actor) {
      try {
        return Promise.resolve(this.apply(name, args));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise<number>((resolve, reject) => {
      actor.tell({
        op: 'dispatch',
        run: () => this.apply(name, args),
        reply: (v) => resolve(v as number),
        fail: reject,
      });
    });
  };

  /** A snapshot of the last published state, then one {@link StatePatches} per tick with changes. */
  updates(): Observable<StateUpdate<S>> {
    return new Observable<StateUpdate<S>>((subscriber) => {
      this.subscribers++;
      subscriber.next({ version: this.publishedVersion, snapshot: this.publishedState });
      const sub = this.updateSubject.subscribe(subscriber);
      return () => {
        this.subscribers--;
        sub.unsubscribe();
      };
    });
  }

  /** Publish the patches gathered this tick as one update. */
  private publish(): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    this.freezeNow();
    const update: StatePatches = { from: this.publishedVersion, version: this.ver, patches: this.pending };
    this.pending = [];
    this.publishedVersion = this.ver;
    this.publishedState = this.current;
    this.updateSubject.next(update);
    this.changeSubject.next({ version: this.ver, state: this.current });
  }

  /**
   * An actor spec for this state (kind `state`), for `broker.spawn(spec, supervisor)` when
   * the state should not be reachable by name. Bind the spawned actor with {@link bind}.
   */
  spec(name: string, options: ActorOptions = {}): ActorSpec {
    return { kind: 'state', name, factory: () => this.remote, lazy: false, options };
  }

  /** Route {@link dispatch} through `actor`'s mailbox (an actor whose instance is {@link remote}). */
  bind(actor: Actor): this {
    this.actor = actor;
    return this;
  }

  /**
   * Expose this state to renderers as global `name` (they `getGlobal(name)` and wrap it in a
   * replica) and bind its actor. Restarts keep the state: the actor keeps wrapping this object.
   * @returns the actor.
   */
  expose(broker: { exposeGlobal(name: string, value: unknown, options?: ExposeOptions): Actor }, name: string, options: ExposeOptions = {}): Actor {
    const actor = broker.exposeGlobal(name, this.remote, options);
    this.bind(actor);
    return actor;
  }
}

/**
 * Create a state actor over `initial` with the given actions.
 * @example
 * ```ts
 * const counter = stateActor({ n: 0 }, { add(d, by: number) { d.n += by } });
 * counter.expose(broker, 'counter');
 * ```
 */
export function stateActor<S, A extends ActionMap<S>>(initial: S, actions: A, options?: StateActorOptions): StateActor<S, A> {
  return new StateActor(initial, actions, options);
}

// ------------------------------------------------------------------ measuring the wire

const measureHost: EncodeHost = {
  plainWithFunctions: 'ref',
  binary: 'base64',
  byReference: () => {
    throw new RemoraError('E_BAD_VALUE', 'State must be plain data (objects, arrays, Map, Set, primitives, Date).');
  },
};

const utf8 = new TextEncoder();

/** Bytes of `value` as remora's codec puts it on the wire, serialized as JSON (UTF-8). */
export function wireBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(encode(value, measureHost))).byteLength;
}

/** Bytes of a stream `next` frame carrying `value`, as a session sends it (JSON, UTF-8). */
export function nextFrameBytes(value: unknown): number {
  return utf8.encode(JSON.stringify({ t: 'next', id: 1, v: [encode(value, measureHost)] })).byteLength;
}

/** What {@link measureUpdate} reports. */
export interface UpdateBytes {
  /** Bytes of the `next` frame carrying the patch update. */
  readonly patchBytes: number;
  /** Bytes of the `next` frame carrying a full snapshot of the new state. */
  readonly snapshotBytes: number;
  /** The patches the recipe produced. */
  readonly patches: Patch[];
  /** The new state. */
  readonly next: unknown;
}

/**
 * Bytes on the wire for one update, as patches and as a full snapshot: runs `recipe` on
 * `state` with immer and encodes both `next` frames the way a session would.
 * @example
 * ```ts
 * const big = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, done: false })) };
 * const { patchBytes, snapshotBytes } = measureUpdate(big, (d) => { d.items[5000].done = true });
 * ```
 */
export function measureUpdate<S>(state: S, recipe: (draft: Draft<S>) => unknown): UpdateBytes {
  const [next, patches] = immer.produceWithPatches(state, (d: Draft<S>) => recipe(d) as never);
  const patchBytes = nextFrameBytes({ from: 0, version: 1, patches });
  const snapshotBytes = nextFrameBytes({ version: 1, snapshot: next });
  return { patchBytes, snapshotBytes, patches, next };
}
