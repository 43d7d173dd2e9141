/**
 * Replicas: a renderer's live, immutable copy of a main-side state actor
 * (`remora/actors/state-actor`), kept current by immer patches.
 *
 * A replica subscribes once: main sends a full snapshot, then one patch update per tick. Each
 * update's immer patches are applied by copying only the containers on their paths
 * (`patch-apply.ts`), so subtrees the update did not touch keep their object identity (memoized UI stays put). Every update names the version it starts
 * from; when that is not the replica's version (a dropped update, a slow renderer) or the
 * patches do not apply, the replica resubscribes and starts over from a fresh snapshot.
 *
 * @example
 * ```ts
 * import { connect, connectState } from 'remora/renderer';
 * import type { todos } from '../main/state.js';
 *
 * const client = connect(await connectToMain());
 * const list = await connectState<typeof todos>(client, 'todos');
 * list.select((s) => s.items.length).subscribe((n) => render(n));
 * await list.dispatch('add', 'milk'); // settles once main applied it and this replica has it
 * ```
 * @packageDocumentation
 */
import { distinctUntilChanged, map, Observable, Subject } from 'rxjs';
import type { ActionArgs, ActionsOf, StateOf, StatePatches, StateUpdate } from '../contracts/state.js';
import { freezeAlongPatches, freezeChanged } from '../contracts/state-freeze.js';
import * as errors from '../errors/factories.js';
import { isRemoraError } from '../errors.js';
import { toMain } from '../protocol/index.js';
import type { RemoraClient } from './client.js';
import type { CallOptions } from './connect-options.js';
import type { Connection } from './connection.js';
import { AsyncFlavour, handleState } from './handles.js';
import type { RefState } from './lifetime.js';
import { syncHandleState } from './sync-handles.js';
import { NativePromise } from './native-promise.js';
import { applyStatePatches } from './patch-apply.js';

/** One change of a replica's state. */
export interface ReplicaChange<S> {
  /** `snapshot` on the first state and after a resync, `patch` for an applied update. */
  readonly kind: 'snapshot' | 'patch';
  /** The version after the change. */
  readonly version: number;
  /** The state after the change. */
  readonly state: S;
  /** The state before, when there was one. */
  readonly previous?: {
    /** Its version. */
    readonly version: number;
    /** The state itself. */
    readonly state: S;
  };
}

/** Counters of what a replica received. */
export interface ReplicaStats {
  /** Full snapshots applied (the first one and one per resync). */
  snapshots: number;
  /** Patch updates applied. */
  updates: number;
  /** Resubscriptions after a gap, a mismatch, an overflow or a {@link Replica.resync} call. */
  resyncs: number;
}

/** Options of a replica. */
export interface ReplicaOptions {
  /** Options for the dispatch calls (deadline, AbortSignal). */
  call?: CallOptions;
  /** Freeze every state deeply (a patched state only where it changed: the rest is frozen already). Default true. */
  freeze?: boolean;
}

/** A live, immutable replica of a main-side state actor. */
export interface Replica<S, A> {
  /** The current state, or `undefined` before the first snapshot arrived. */
  readonly state: S | undefined;
  /** The version of {@link state}; -1 before the first snapshot. */
  readonly version: number;
  /** Resolves with the first state; rejects if the subscription failed first. */
  readonly ready: Promise<S>;
  /**
   * The current state on subscribe (once there is one), then each new immutable state.
   * Errors with `E_CLOSED` when the session ends; completes after {@link close}.
   */
  readonly state$: Observable<S>;
  /** Every change with its kind, version and previous state (for tooling and tests). */
  readonly changes$: Observable<ReplicaChange<S>>;
  /** What this replica received so far. */
  readonly stats: Readonly<ReplicaStats>;
  /** True after {@link close} or once the subscription ended (session closed). */
  readonly closed: boolean;
  /**
   * A derived value, emitted when it changes (`compare`, default `Object.is`).
   * @example
   * ```ts
   * list.select((s) => s.items.filter((i) => !i.done).length).subscribe(showCount);
   * ```
   */
  select<R>(fn: (state: S) => R, compare?: (a: R, b: R) => boolean): Observable<R>;
  /**
   * Run an action in main. Settles once main applied it and this replica reached the version
   * it produced; rejects with `E_UNKNOWN_ACTION`, `E_INVALID_ARGS`, or the recipe's error
   * (`E_TARGET_THREW`), leaving the state unchanged.
   * @returns the version after the action.
   */
  dispatch<K extends keyof A & string>(name: K, ...args: ActionArgs<A[K]>): Promise<number>;
  /** Drop the subscription and start over from a full snapshot. */
  resync(): void;
  /** Unsubscribe; {@link state$} completes. */
  close(): void;
}

/**
 * A replica that has its first snapshot, as {@link connectState} resolves with it: its
 * `state` is always there (after a close it stays the last state).
 */
export interface ReadyReplica<S, A> extends Replica<S, A> {
  /** The current state (never `undefined`: the first snapshot has arrived). */
  readonly state: S;
}

function refOf(handle: unknown): { conn: Connection; ref: RefState } | undefined {
  const a = handleState(handle);
  if (a?.ref && a.root) return { conn: a.conn, ref: a.ref };
  return syncHandleState(handle);
}

class ReplicaImpl<S, A> implements Replica<S, A> {
  state: S | undefined;
  version = -1;
  closed = false;
  readonly stats: ReplicaStats = { snapshots: 0, updates: 0, resyncs: 0 };
  readonly ready: Promise<S>;
  readonly state$: Observable<S>;
  readonly changes$: Observable<ReplicaChange<S>>;
  private has = false;
  private streamId = 0;
  private readonly subject = new Subject<ReplicaChange<S>>();
  private waiters: { version: number; resolve: () => void }[] = [];
  private failure: { error: unknown } | undefined;
  private resolveReady!: (s: S) => void;
  private rejectReady!: (e: unknown) => void;

  constructor(
    /** Kept so the ref (and main's subscription target) stays alive with the replica. */
    readonly handle: unknown,
    private readonly conn: Connection,
    private readonly ref: RefState,
    private readonly options: ReplicaOptions,
  ) {
    this.ready = new Promise<S>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => undefined);
    this.changes$ = this.subject.asObservable();
    this.state$ = new Observable<S>((subscriber) => {
      if (this.has) subscriber.next(this.state as S);
      if (this.closed) {
        if (this.failure) subscriber.error(this.failure.error);
        else subscriber.complete();
        return undefined;
      }
      return this.subject.subscribe({
        next: (c) => subscriber.next(c.state),
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
    this.open();
  }

  private open(): void {
    if (this.ref.released) {
      this.end({ error: errors.released() });
      return;
    }
    const id = this.conn.openStream(toMain.sub({ ref: this.ref.id, path: ['updates'] }, { args: [] }), {
      next: (u) => {
        if (this.streamId === id) this.receive(u as StateUpdate<S>);
      },
      error: (e) => {
        if (this.streamId === id) this.upstreamFailed(e);
      },
      complete: () => {
        if (this.streamId === id) this.end(undefined);
      },
    });
    this.streamId = id;
  }

  private receive(u: StateUpdate<S>): void {
    if (this.closed) return;
    const prev = this.has ? { version: this.version, state: this.state as S } : undefined;
    if ('snapshot' in u) {
      this.stats.snapshots++;
      this.commit('snapshot', u.version, (this.options.freeze === false ? u.snapshot : freezeChanged(u.snapshot, undefined)) as S, prev);
      return;
    }
    const p = u as StatePatches;
    if (!this.has || p.from !== this.version) {
      // An update we already have (cannot happen on one subscription, harmless if it does).
      if (this.has && p.version <= this.version) return;
      this.resync();
      return;
    }
    let next: S;
    try {
      next = applyStatePatches(this.state as S, p.patches);
      // Only the patches' paths and new values: every other subtree is the previous, frozen state's.
      if (this.options.freeze !== false) freezeAlongPatches(next, p.patches);
    } catch {
      this.resync();
      return;
    }
    this.stats.updates++;
    this.commit('patch', p.version, next, prev);
  }

  private commit(kind: 'snapshot' | 'patch', version: number, state: S, previous: ReplicaChange<S>['previous']): void {
    this.state = state;
    this.version = version;
    const first = !this.has;
    this.has = true;
    if (first) this.resolveReady(state);
    if (this.waiters.length) {
      const due = this.waiters.filter((w) => w.version <= version);
      this.waiters = this.waiters.filter((w) => w.version > version);
      for (const w of due) w.resolve();
    }
    this.subject.next(previous ? { kind, version, state, previous } : { kind, version, state });
  }

  private upstreamFailed(e: unknown): void {
    // A renderer that fell behind far enough to overflow its stream just starts over.
    if (isRemoraError(e, 'E_OVERFLOW')) {
      this.streamId = 0;
      this.stats.resyncs++;
      this.open();
      return;
    }
    this.end({ error: e });
  }

  private end(failure: { error: unknown } | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = failure;
    this.streamId = 0;
    if (!this.has) this.rejectReady(failure?.error ?? errors.closed('the replica was closed before its first snapshot'));
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.resolve();
    if (failure) this.subject.error(failure.error);
    else this.subject.complete();
  }

  readonly resync = (): void => {
    if (this.closed) return;
    this.stats.resyncs++;
    const old = this.streamId;
    this.streamId = 0;
    if (old) this.conn.closeStream(old);
    this.open();
  };

  readonly close = (): void => {
    if (this.closed) return;
    const id = this.streamId;
    this.end(undefined);
    if (id) this.conn.closeStream(id);
  };

  readonly select = <R>(fn: (state: S) => R, compare: (a: R, b: R) => boolean = Object.is): Observable<R> =>
    this.state$.pipe(map(fn), distinctUntilChanged(compare));

  readonly dispatch = <K extends keyof A & string>(name: K, ...args: ActionArgs<A[K]>): Promise<number> => {
    if (this.ref.released) return NativePromise.reject(errors.released());
    const call = this.conn.request(toMain.apply({ ref: this.ref.id, path: ['dispatch'] }, this.conn.encodeArgs([name, ...(args as unknown[])])), AsyncFlavour, this.options.call);
    return (call.promise as Promise<number>).then((version) => this.reached(version).then(() => version));
  };

  /** Resolves once this replica is at `version` or later (at once when closed). */
  private reached(version: number): Promise<void> {
    if (this.closed || this.version >= version) return NativePromise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ version, resolve }));
  }
}

/**
 * A live replica of the state actor behind `handle` (an awaited `getGlobal(name)` handle,
 * async or sync). Type it with the main-side actor: `replica<typeof todos>(handle)`.
 * @example
 * ```ts
 * const todos = replica<typeof todosActor>(await client.getGlobal('todos'));
 * todos.state$.subscribe(render);
 * ```
 */
export function replica<X>(handle: unknown, options: ReplicaOptions = {}): Replica<StateOf<X>, ActionsOf<X>> {
  const r = refOf(handle);
  if (!r) throw new TypeError('replica() expects an awaited remora handle to a state actor (await client.getGlobal(name)).');
  return new ReplicaImpl<StateOf<X>, ActionsOf<X>>(handle, r.conn, r.ref, options);
}

/**
 * Get global `name` from main, wrap it in a {@link replica} and wait for its first snapshot:
 * the replica it resolves with is a {@link ReadyReplica}, whose `state` is typed without
 * `undefined`.
 * @example
 * ```ts
 * const todos = await connectState<typeof todosActor>(client, 'todos');
 * console.log(todos.state.items.length, todos.version);
 * ```
 */
export async function connectState<X>(client: Pick<RemoraClient, 'getGlobal'>, name: string, options?: ReplicaOptions): Promise<ReadyReplica<StateOf<X>, ActionsOf<X>>> {
  const handle = await client.getGlobal<unknown>(name);
  const r = replica<X>(handle, options);
  await r.ready;
  return r as ReadyReplica<StateOf<X>, ActionsOf<X>>;
}
