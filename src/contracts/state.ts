/**
 * The state actor's contract with its replicas: what travels on a state subscription and the
 * types a renderer needs to name a state and its actions. Main's side (`actors/state-actor`)
 * and the renderer's replica (`src/renderer/replica.ts`) both import it, so a page bundle that
 * uses replicas never pulls main-side code in. Types only: nothing here runs.
 * @packageDocumentation
 */
import type { Patch } from 'immer';
import type { Observable } from 'rxjs';

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

/** Anything that serves a state to renderers through a {@link StateRemote}: a `StateActor`. */
export interface StateSource<S, A> {
  /** The object renderers reach. */
  readonly remote: StateRemote<S, A>;
}

/** The state type of a state actor (for `replica<typeof store>`). */
export type StateOf<X> = X extends StateSource<infer S, any> ? S : never; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The action map of a state actor. */
export type ActionsOf<X> = X extends StateSource<any, infer A> ? A : never; // eslint-disable-line @typescript-eslint/no-explicit-any
