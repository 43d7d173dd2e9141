/**
 * Types of renderer-side handles, computed from the main-side object's type.
 *
 * - {@link Remote}`<T>`: an async handle. Every method call returns a {@link RemoteCall}
 *   (await it for the result, or call on it again to pipeline); every property read is a
 *   {@link RemoteProperty} (await it for the value).
 * - {@link SyncRemote}`<T>`: a compatibility-mode handle, as Electron's `remote` gave:
 *   calls and reads return their results synchronously.
 * - {@link Remoted}`<V>`: what a value of type `V` becomes on arrival. Data (primitives, plain
 *   objects without methods, arrays, Date, Map, Set, typed arrays, errors) arrives as a copy;
 *   functions and objects with methods arrive as handles; Observables as Observables.
 *
 * @example
 * ```ts
 * // main: class Counter { n = 0; inc(by: number) { return (this.n += by) } }
 * const counter: Remote<Counter> = await api.makeCounter();
 * const n: number = await counter.inc(2);
 * ```
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';

type Primitive = string | number | boolean | bigint | symbol | null | undefined;
type Copied = Primitive | Date | RegExp | ArrayBuffer | ArrayBufferView | Error;
type AnyFn = (...args: never[]) => unknown;
type AnyCtor = abstract new (...args: never[]) => unknown;

/** True when some property of `T` is a function. */
type HasMethods<T> = { [K in keyof T]-?: T[K] extends AnyFn ? true : never }[keyof T] extends never ? false : true;

/** Marks a value that travels by reference (so the type system agrees with the wire). */
export interface ByRef {
  readonly __remoraByRef?: true;
}

/** What a value of type `V` is on the renderer after it crossed the wire (async flavour). */
export type Remoted<V> = V extends Copied
  ? V
  : V extends PromiseLike<infer X>
    ? Promise<Remoted<X>>
  : V extends Observable<infer X>
    ? Observable<Remoted<X>>
    : V extends AnyFn | AnyCtor
      ? Remote<V>
      : V extends Map<infer K, infer X>
        ? Map<Remoted<K>, Remoted<X>>
        : V extends Set<infer X>
          ? Set<Remoted<X>>
          : V extends readonly unknown[]
            ? { [I in keyof V]: Remoted<V[I]> }
            : V extends ByRef
              ? Remote<V>
              : V extends object
                ? HasMethods<V> extends true
                  ? Remote<V>
                  : { [K in keyof V]: Remoted<V[K]> }
                : V;

/** What an argument of type `A` may be when passed from the renderer: the value, or a handle to it. */
export type RemoteArg<A> = A extends AnyFn ? A | Remote<A> : A extends object ? A | Remote<A> : A;

/** Mapped argument list. */
export type RemoteArgs<A extends readonly unknown[]> = { [I in keyof A]: RemoteArg<A[I]> };

/** Members reachable on a handle or a pipelined result. */
export type RemoteMembers<T> = T extends Copied
  ? unknown
  : { readonly [K in keyof T as K extends string ? (K extends 'prototype' ? never : K) : never]: RemoteProperty<T[K]> };

/** A property read through a handle: await it for the value; read deeper, or call it (statics of a class too). */
export type RemoteProperty<V> = V extends AnyFn | AnyCtor
  ? RemoteFunction<V> & RemoteMembers<V>
  : RemotePromise<Remoted<V>> & (V extends object ? RemoteMembers<V> : unknown);

/** A remote function: call it (result pipelinable) or construct with it. */
export type RemoteFunction<F> = (F extends (...args: infer A) => infer R ? (...args: RemoteArgs<A>) => RemoteCall<R> : unknown) &
  (F extends abstract new (...args: infer A) => infer I ? new (...args: RemoteArgs<A>) => RemoteCall<I> : unknown);

/** The result of a call, already on its way: await it, or call/read on it to pipeline. */
export type RemoteCall<R> = RemotePromise<Remoted<Awaited<R>>> & RemoteMembers<Awaited<R>>;

/** A pending remote value: awaitable, with the Promise methods `then`, `catch` and `finally`. */
export type RemotePromise<V> = PromiseLike<V> & Pick<Promise<V>, 'catch' | 'finally'>;

/** An async handle to a main-side object of type `T`. Not thenable itself. */
export type Remote<T> = RemoteMembers<T> & (T extends AnyFn | AnyCtor ? RemoteFunction<T> : unknown) & Disposable;

// ------------------------------------------------------------- compatibility (sync) mode

/** What a value of type `V` is after a synchronous call (compatibility mode). */
export type SyncRemoted<V> = V extends Copied
  ? V
  : V extends PromiseLike<infer X>
    ? Promise<Remoted<X>>
    : V extends Observable<infer X>
      ? Observable<Remoted<X>>
      : V extends AnyFn | AnyCtor
        ? SyncRemote<V>
        : V extends Map<infer K, infer X>
          ? Map<SyncRemoted<K>, SyncRemoted<X>>
          : V extends Set<infer X>
            ? Set<SyncRemoted<X>>
            : V extends readonly unknown[]
              ? { [I in keyof V]: SyncRemoted<V[I]> }
              : V extends ByRef
                ? SyncRemote<V>
                : V extends object
                  ? HasMethods<V> extends true
                    ? SyncRemote<V>
                    : { [K in keyof V]: SyncRemoted<V[K]> }
                  : V;

/** A synchronous handle: reads, writes, calls and `new` block until main answers. */
export type SyncRemote<T> = {
  [K in keyof T as K extends string ? K : never]: T[K] extends AnyFn ? SyncRemoteFunction<T[K]> : SyncRemoted<T[K]>;
} & (T extends AnyFn | AnyCtor ? SyncRemoteFunction<T> : unknown) &
  Disposable;

/** A synchronous remote function or constructor. */
export type SyncRemoteFunction<F> = (F extends (...args: infer A) => infer R ? (...args: RemoteArgs<A>) => SyncRemoted<R> : unknown) &
  (F extends abstract new (...args: infer A) => infer I ? new (...args: RemoteArgs<A>) => SyncRemoted<I> : unknown);
