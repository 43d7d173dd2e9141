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
 * This file is the public entry and holds the actor itself; the concepts around it have their
 * own files: the wire contract shared with replicas (`src/contracts/state.ts`), actions and
 * their argument checks (`state-actions.ts`), the immer instance (`state-immer.ts`) and the
 * wire measurements (`state-measure.ts`).
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
 * @module remora/actors/state-actor
 */
import type { Draft, Patch } from 'immer';
import { Observable, Subject } from 'rxjs';
import type { Actor, ActorOptions } from '../src/actor/actor.js';
import * as errors from '../src/errors/factories.js';
import { isThenable } from '../src/protocol/classify.js';
import type { ActionArgs, StatePatches, StateRemote, StateSource, StateUpdate } from '../src/contracts/state.js';
import { freezeChanged } from '../src/contracts/state-freeze.js';
import type { ExposeOptions } from '../src/main/broker.js';
import type { ActorSpec } from '../src/actor/spec.js';
import { checkPlainArgs, checkValidArgs, findAction, type ActionMap } from './state-actions.js';
import { stateImmer } from './state-immer.js';

export type { ActionArgs, ActionsOf, StateOf, StatePatches, StateRemote, StateSnapshot, StateSource, StateUpdate } from '../src/contracts/state.js';
export type { ActionDefinition, ActionMap, Recipe } from './state-actions.js';
export { measureUpdate, nextFrameBytes, wireBytes, type UpdateBytes } from './state-measure.js';

/** A published state with its version (what {@link StateActor.changes$} emits). */
export interface VersionedState<S> {
  /** How many actions have changed the state so far; one tick's actions publish once, so it may step by more than 1. */
  readonly version: number;
  /** The state at that version (deeply frozen unless the actor was made with `freeze: false`). */
  readonly state: S;
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

/**
 * Main's side of shared state. Create it with {@link stateActor}; make it reachable with
 * {@link StateActor.expose} (or spawn {@link StateActor.spec} yourself).
 */
export class StateActor<S, A extends ActionMap<S>> implements StateSource<S, A> {
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
  /**
   * The state as last frozen (deeply). `current` differs from it once actions changed it: the
   * containers immer copied stay unfrozen until main code looks (see {@link freezeNow}).
   */
  private frozen: S;

  /** The object renderers reach; only `dispatch`, `updates` and `snapshot` are on it. */
  readonly remote: StateRemote<S, A>;
  /** Every published state (one per tick with changes), as main-side code sees it. */
  readonly changes$: Observable<VersionedState<S>>;

  constructor(initial: S, private readonly actions: A, options: StateActorOptions = {}) {
    this.freezing = options.freeze !== false;
    this.current = this.freezing ? freezeChanged(initial, undefined) : initial;
    this.frozen = this.current;
    this.publishedState = this.current;
    this.changes$ = this.changeSubject.asObservable();
    this.remote = {
      dispatch: (name, ...args) => this.apply(name, args),
      updates: () => this.wireUpdates(),
      snapshot: () => ({ version: this.publishedVersion, snapshot: this.frozenPublished() }),
    };
  }

  /** The current state (including actions applied this tick, before they are published). */
  get state(): S {
    this.freezeNow();
    return this.current;
  }

  /**
   * Freeze what changed since the last freeze, when main code is about to see the state: only
   * the containers actions copied (`src/contracts/state-freeze.ts`); children shared with the
   * last frozen state are skipped without a look inside.
   *
   * Why not at every publish: immer copies an array with `Array.prototype.slice`, which V8
   * (Node 20) runs on a frozen array ~60x slower than on a plain one (a 10 000-entry array:
   * ~250 µs against ~4 µs). immer's own copies are reachable from nowhere but this actor, so
   * they stay unfrozen until `state`, `changes$`, `updates()` or `snapshot()` hands them out,
   * and a state only renderers read never pays that copy. What a recipe put in (the patches'
   * values, which main code may still hold) is frozen at publish.
   */
  private freezeNow(): void {
    if (!this.freezing || this.frozen === this.current) return;
    freezeChanged(this.current, this.frozen);
    this.frozen = this.current;
  }

  /** The last published state, frozen (when freezing) since main code gets it. */
  private frozenPublished(): S {
    if (this.freezing && this.publishedState !== this.frozen) {
      // `current` may be past it (actions of this tick): it derives from the published state, so that is the new base.
      freezeChanged(this.publishedState, this.frozen);
      this.frozen = this.publishedState;
    }
    return this.publishedState;
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
    const { recipe, validate } = findAction(this.actions, name);
    checkPlainArgs(name, args);
    if (this.applying) {
      throw errors.invalidArgs({ what: `Action "${name}" was dispatched from inside a recipe; a recipe must not dispatch`, advice: 'The state is unchanged.' });
    }
    if (validate) checkValidArgs(name, validate, args);
    let next: unknown;
    let patches: Patch[];
    this.applying = true;
    try {
      [next, patches] = stateImmer.produceWithPatches(this.current, (draft: Draft<S>) => {
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

  /**
   * A snapshot of the last published state (deeply frozen, unless `freeze: false`), then one
   * {@link StatePatches} per tick with changes, for main-side code.
   */
  updates(): Observable<StateUpdate<S>> {
    return this.stream(() => this.frozenPublished());
  }

  /** {@link updates} for renderers: the snapshot is encoded for the wire, so it need not be frozen first. */
  private wireUpdates(): Observable<StateUpdate<S>> {
    return this.stream(() => this.publishedState);
  }

  private stream(snapshot: () => S): Observable<StateUpdate<S>> {
    return new Observable<StateUpdate<S>>((subscriber) => {
      this.subscribers++;
      subscriber.next({ version: this.publishedVersion, snapshot: snapshot() });
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
    // What the recipes put in may still be held by main code: frozen now (already frozen
    // values, such as moved subtrees, return at once). immer's copies wait for a reader.
    if (this.freezing) for (const p of this.pending) freezeChanged(p.value, undefined);
    const update: StatePatches = { from: this.publishedVersion, version: this.ver, patches: this.pending };
    this.pending = [];
    this.publishedVersion = this.ver;
    this.publishedState = this.current;
    this.updateSubject.next(update);
    if (this.changeSubject.observed) this.changeSubject.next({ version: this.ver, state: this.frozenPublished() });
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
