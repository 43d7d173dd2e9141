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
import type { EventEmitter as NodeEventEmitter } from 'node:events';
import type { Observable } from 'rxjs';
import type { ArgsOf, Calls, Constructs, SignatureRewrite } from './overloads.js';

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

/**
 * What an argument of type `A` may be when passed from the renderer: the value, or a handle to
 * it; a function becomes a {@link RendererCallback}.
 */
export type RemoteArg<A> = A extends AnyFn ? RendererCallback<A> : A extends object ? A | Remote<A> : A;

/**
 * A renderer function passed where main expects a function of type `F` (a callback, a
 * listener). Main's arguments arrive as they would as results ({@link Remoted}: data copied,
 * objects with methods as handles), and its result is not sent back to main, so any result
 * will do. An inline callback gets its parameter types from here. A function handle taking
 * such arguments is accepted too.
 *
 * @example
 * ```ts
 * // main: win.on(event: 'close', listener: (event: Electron.Event) => void)
 * await win.on('close', (event) => event.preventDefault()); // event: Remote<Electron.Event>
 * ```
 */
export type RendererCallback<F> = F extends (...args: infer P) => unknown ? (...args: RemotedArgs<P>) => unknown : Remote<F>;

/** Arguments main passes to a renderer callback, as they arrive. */
type RemotedArgs<P extends readonly unknown[]> = { [I in keyof P]: Remoted<P[I]> };

/**
 * Mapped argument list. A parameter typed `never` (what TypeScript leaves of a generic method's
 * parameter that depends on an erased type parameter through a conditional type) accepts any
 * value instead, so such a method stays callable.
 */
export type RemoteArgs<A extends readonly unknown[]> = [A] extends [never]
  ? unknown[]
  : { [I in keyof A]: [A[I]] extends [never] ? unknown : RemoteArg<A[I]> | PendingArg<A[I]> };

/**
 * Members reachable on a handle or a pipelined result. On a Node `EventEmitter<Events>` (or a
 * subclass of one) the listener methods are typed from `Events`: see {@link RemoteEmitterMethod}.
 */
export type RemoteMembers<T> = T extends Copied ? unknown : AsyncMembers<T, EventsOf<T>>;

type AsyncMembers<T, M> = {
  readonly [K in keyof T as K extends string ? (K extends 'prototype' ? never : K) : never]: [M] extends [never]
    ? RemoteProperty<T[K]>
    : K extends EmitterMethod
      ? RemoteEmitterMethod<T, M, K>
      : RemoteProperty<T[K]>;
};

/** A property read through a handle: await it for the value; read deeper, or call it (statics of a class too). */
export type RemoteProperty<V> = V extends AnyFn | AnyCtor
  ? RemoteFunction<V> & RemoteMembers<V>
  : RemotePromise<Remoted<V>> & (V extends object ? RemoteMembers<V> : unknown);

/**
 * A remote function: call it (result pipelinable) or construct with it. Every overload of `F`
 * is kept, in order, each with its arguments mapped by {@link RemoteArgs} and its result by
 * {@link RemoteCall}. A generic signature is kept with its type parameters erased to their
 * constraints (see {@link Remote} for what that means and how to annotate).
 */
export type RemoteFunction<F> = Calls<F, AsyncSignature> & Constructs<F, AsyncSignature>;

/** Each signature of a function through an async handle: arguments mapped, result a {@link RemoteCall}. */
interface AsyncSignature extends SignatureRewrite {
  readonly call: (...args: RemoteArgs<ArgsOf<this>>) => RemoteCall<this['result']>;
  readonly construct: new (...args: RemoteArgs<ArgsOf<this>>) => RemoteCall<this['result']>;
}

/**
 * The result of a call, already on its way: await it, or call/read on it to pipeline. A call
 * whose result type is `never` (it always throws) is still a promise, one that rejects.
 */
export type RemoteCall<R> = [Awaited<R>] extends [never]
  ? RemotePromise<never>
  : RemotePromise<Remoted<Awaited<R>>> & RemoteMembers<Awaited<R>>;

/** Type-only brand of pending remote values (no such property exists at run time). */
declare const pendingValue: unique symbol;

/**
 * A pending remote value: awaitable, with the Promise methods `then`, `catch` and `finally`.
 * Passed directly as an argument of another call on the same connection, it is pipelined: main
 * uses the value where it already is (`api.twice(api.twice(5))` is one round trip).
 */
export type RemotePromise<V> = PromiseLike<V> & Pick<Promise<V>, 'catch' | 'finally'> & { readonly [pendingValue]: V };

/** A pending remote value whose result would fit an argument of type `A` (see {@link RemotePromise}). */
export type PendingArg<A> = { readonly [pendingValue]: Remoted<A> };

/**
 * An async handle to a main-side object of type `T`. Not thenable itself.
 *
 * - Every overload of a method is kept ({@link RemoteFunction}); methods returning `this`
 *   return a {@link RemoteCall} of `T`, so calls chain and pipeline.
 * - On a Node `EventEmitter<Events>` the listener methods check names and type listeners
 *   from `Events` ({@link RemoteEmitterMethod}); callbacks receive main's arguments as
 *   {@link Remoted} values ({@link RendererCallback}).
 * - A generic method loses its type parameters: each becomes its constraint (`unknown` when
 *   unconstrained), and a parameter left `never` accepts anything. Annotate the result
 *   (`(await api.echo(5)) as number`) or describe the method by overloads in the type you
 *   give `require`. See docs/migration.md, "Handle types".
 *
 * @example
 * ```ts
 * const win: Remote<BrowserWindow> = await api.window();
 * await win.on('resize', () => layout()).on('close', (event) => log(event)); // one round trip
 * const n = (await api.echo(5)) as number; // echo<T>(v: T): T comes back unknown
 * ```
 */
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

/**
 * A synchronous handle: reads, writes, calls and `new` block until main answers. Overloads,
 * generic methods and `EventEmitter<Events>` listener methods are typed as on {@link Remote}.
 */
export type SyncRemote<T> = SyncMembers<T, EventsOf<T>> & (T extends AnyFn | AnyCtor ? SyncRemoteFunction<T> : unknown) & Disposable;

type SyncMembers<T, M> = {
  [K in keyof T as K extends string ? K : never]: [M] extends [never]
    ? SyncMember<T[K]>
    : K extends EmitterMethod
      ? SyncRemoteEmitterMethod<T, M, K>
      : SyncMember<T[K]>;
};
type SyncMember<V> = V extends AnyFn ? SyncRemoteFunction<V> : SyncRemoted<V>;

/** A synchronous remote function or constructor, every overload kept (see {@link RemoteFunction}). */
export type SyncRemoteFunction<F> = Calls<F, SyncSignature> & Constructs<F, SyncSignature>;

/** Each signature of a function through a sync handle: arguments mapped, result a {@link SyncRemoted} value. */
interface SyncSignature extends SignatureRewrite {
  readonly call: (...args: RemoteArgs<ArgsOf<this>>) => SyncRemoted<this['result']>;
  readonly construct: new (...args: RemoteArgs<ArgsOf<this>>) => SyncRemoted<this['result']>;
}

// ------------------------------------------------------------- typed EventEmitter<Events>

/**
 * The event map of a Node `EventEmitter<Events>` or of a subclass of one (`never` for an
 * emitter that declares none, such as Electron's classes, and for anything else). For a
 * subclass TypeScript recovers the names only: each event's arguments come out as `any`.
 */
type EventsOf<T> = T extends { on: AnyFn; emit: AnyFn }
  ? T extends NodeEventEmitter<infer M>
    ? [never] extends M // Node's DefaultEventMap, alone or (on a subclass) in a union
      ? never
      : M
    : never
  : never;

/** Methods of Node's `EventEmitter` that take an event name; typed from `Events` on a handle. */
export type EmitterMethod =
  | 'on'
  | 'once'
  | 'off'
  | 'addListener'
  | 'removeListener'
  | 'prependListener'
  | 'prependOnceListener'
  | 'removeAllListeners'
  | 'emit'
  | 'listenerCount'
  | 'listeners'
  | 'rawListeners';

type EventName<M> = keyof M & (string | symbol);
type IsAny<T> = 0 extends 1 & T ? true : false;
/** The arguments of event `E` (any when the map does not say). */
type EventArgs<M, E extends keyof M> = IsAny<M[E]> extends true ? any[] : M[E] extends readonly unknown[] ? M[E] : any[];
/** A listener of event `E` as Node types it: `(...args: Events[E]) => void`. */
type EventListener<M, E extends keyof M> = (...args: EventArgs<M, E>) => void;

/**
 * An `EventEmitter<Events>` method through an async handle: event names checked against
 * `Events`, listeners typed by their event, `this`-returning methods pipelinable on the emitter.
 *
 * @example
 * ```ts
 * // main: const ticker = new EventEmitter<{ tick: [n: number] }>()
 * const ticker: Remote<EventEmitter<{ tick: [n: number] }>> = await api.ticker;
 * await ticker.on('tick', (n) => console.log(n + 1)).once('tick', () => {}); // n: number
 * ```
 */
export type RemoteEmitterMethod<T, M, K extends EmitterMethod> = K extends 'emit'
  ? <E extends EventName<M>>(eventName: E, ...args: RemoteArgs<EventArgs<M, E>>) => RemoteCall<boolean>
  : K extends 'listenerCount'
    ? <E extends EventName<M>>(eventName: E, listener?: RemoteArg<EventListener<M, E>>) => RemoteCall<number>
    : K extends 'listeners' | 'rawListeners'
      ? <E extends EventName<M>>(eventName: E) => RemoteCall<Array<EventListener<M, E>>>
      : K extends 'removeAllListeners'
        ? (eventName?: EventName<M>) => RemoteCall<T>
        : <E extends EventName<M>>(eventName: E, listener: RemoteArg<EventListener<M, E>>) => RemoteCall<T>;

/** An `EventEmitter<Events>` method through a sync handle (see {@link RemoteEmitterMethod}). */
export type SyncRemoteEmitterMethod<T, M, K extends EmitterMethod> = K extends 'emit'
  ? <E extends EventName<M>>(eventName: E, ...args: RemoteArgs<EventArgs<M, E>>) => boolean
  : K extends 'listenerCount'
    ? <E extends EventName<M>>(eventName: E, listener?: RemoteArg<EventListener<M, E>>) => number
    : K extends 'listeners' | 'rawListeners'
      ? <E extends EventName<M>>(eventName: E) => SyncRemoted<Array<EventListener<M, E>>>
      : K extends 'removeAllListeners'
        ? (eventName?: EventName<M>) => SyncRemoted<T>
        : <E extends EventName<M>>(eventName: E, listener: RemoteArg<EventListener<M, E>>) => SyncRemoted<T>;
