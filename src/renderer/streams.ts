/**
 * Renderer-side streams: events of remote emitters as Observables ({@link fromRemoteEvent}),
 * and `for await` over any Observable ({@link eachValue}). Remote Observables themselves
 * arrive as Observables (see `handles.ts`).
 *
 * Every stream here is bound to the connection: it ends with `E_CLOSED` when the connection
 * closes, and main tears down its side (listener, source subscription) when the renderer
 * unsubscribes or its session ends, so nothing a renderer subscribed to outlives a reload.
 * @packageDocumentation
 */
import { Observable } from 'rxjs';
import * as errors from '../errors/factories.js';
import { toMain } from '../protocol/index.js';
import type { Connection } from './connection.js';
import type { EventMapOf } from './event-maps.js';
import { handleState } from './handles.js';
import type { RefState } from './lifetime.js';
import { afterSettled, shareByRefCount } from './operators.js';
import { syncHandleState } from './sync-handles.js';
import type { IsAny, Remote, SyncRemote } from './types.js';
import { NativePromise } from './native-promise.js';


// ------------------------------------------------------------------------------------ types


/** Try one handle flavour: a match infers `T`; a mismatch infers `unknown`. @internal */
export type Known<T, Else> = unknown extends T ? Else : T;

/**
 * The main-side type a handle stands for: `T` for a `Remote<T>`, a `SyncRemote<T>`, or a
 * pending value of a `T` (`api.window`), otherwise `unknown`.
 */
export type RemoteTargetOf<H> = H extends Remote<infer T>
  ? Known<T, SyncTargetOf<H>>
  : SyncTargetOf<H>;
/** The main-side type behind a sync handle, else behind a pending value. @internal */
export type SyncTargetOf<H> = H extends SyncRemote<infer T> ? Known<T, PendingTargetOf<H>> : PendingTargetOf<H>;
type PendingTargetOf<H> = H extends PromiseLike<Remote<infer T>> ? T : unknown;

/**
 * Event name → listener arguments, as far as an emitter's type declares them. A Node
 * `EventEmitter<Events>` (or a subclass of one) declares its names and their arguments.
 * Other emitters declare nothing (`never`), a plain `EventEmitter` and its subclasses
 * included. Read without importing Node's types (see event-maps.ts).
 */
export type EmitterEvents<E> = EventMapOf<E>;

/** The event names `fromRemoteEvent` accepts for handle type `H` (any string when undeclared). */
export type RemoteEventName<H> = [EmitterEvents<RemoteTargetOf<H>>] extends [never] ? string : keyof EmitterEvents<RemoteTargetOf<H>> & string;

/** What one event delivers: no argument → `undefined`, one → that value, several → the tuple. */
export type EventValue<Args> = IsAny<Args> extends true
  ? unknown
  : Args extends readonly []
    ? undefined
    : Args extends readonly [infer Only]
      ? Only
      : Args extends readonly unknown[]
        ? Args
        : unknown;

/** The value type of `fromRemoteEvent(handle as H, name as K)`. */
export type RemoteEventValue<H, K> = [EmitterEvents<RemoteTargetOf<H>>] extends [never]
  ? unknown
  : K extends keyof EmitterEvents<RemoteTargetOf<H>>
    ? EventValue<EmitterEvents<RemoteTargetOf<H>>[K]>
    : unknown;

// ------------------------------------------------------------------------------------ fromRemoteEvent

/** Where an event stream subscribes: a held ref and a path from it, or a value still pending. */
type Source =
  | { readonly conn: Connection; readonly ref: RefState; readonly path: readonly string[]; readonly keep: readonly unknown[] }
  | { readonly pending: PromiseLike<unknown> };

function sourceOf(handle: unknown): Source | undefined {
  const a = handleState(handle);
  if (a) {
    if (a.ref) {
      // Hold the handle, and the root handle it derives from, while the stream is in use:
      // otherwise GC could release the ref under a live subscription.
      const root = a.ref.asyncHandle?.deref() ?? a.ref.syncHandle?.deref();
      return { conn: a.conn, ref: a.ref, path: a.path, keep: [handle, root] };
    }
    return { pending: handle as PromiseLike<unknown> };
  }
  const s = syncHandleState(handle);
  if (s) return { conn: s.conn, ref: s.ref, path: [], keep: [handle] };
  return undefined;
}

/** Shared streams per (ref, path, event); weak, so an unused stream can be collected. */
const eventStreams = new WeakMap<RefState, Map<string, WeakRef<Observable<unknown>>>>();
/** Streams with a live main-side subscription stay reachable (and shared) until it ends. */
const activeStreams = new Set<Observable<unknown>>();

function sharedEventStream(src: Extract<Source, { ref: RefState }>, event: string): Observable<unknown> {
  const { conn, ref, path, keep } = src;
  const key = `${path.join('\u0000')}\u0001${event}`;
  let byKey = eventStreams.get(ref);
  if (!byKey) eventStreams.set(ref, (byKey = new Map()));
  const cached = byKey.get(key)?.deref();
  if (cached) return cached;
  const shared: Observable<unknown> = shareByRefCount(new Observable<unknown>((subscriber) => {
    if (ref.released) {
      subscriber.error(errors.released());
      return undefined;
    }
    activeStreams.add(shared);
    const id = conn.openStream(toMain.sub({ ref: ref.id, path: [...path] }, { event }), {
      next: (v) => subscriber.next(v),
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      activeStreams.delete(shared);
      conn.closeStream(id);
      void keep; // captured: the handles stay reachable as long as this stream is
    };
  }));
  byKey.set(key, new WeakRef(shared));
  return shared;
}

/**
 * An Observable of a remote emitter's events. The first subscriber adds one listener in main;
 * later subscribers (of any `fromRemoteEvent` for the same object and event) share it; the
 * last unsubscribe removes it, and the renderer's session end (reload, close, crash) removes
 * it too. The handle may be an async handle, a sync handle, or a pending value such as
 * `api.window` (no need to await it). An event with no arguments delivers `undefined`, one
 * argument delivers that value, several deliver an array.
 *
 * Types come from the emitter's type where it declares its events (Node's
 * `EventEmitter<Events>`): the name is checked and the value typed. Otherwise pass the value
 * type explicitly: `fromRemoteEvent<[number, number]>(win, 'resize')`.
 * @example
 * ```ts
 * // main: broker.exposeGlobal('bus', new EventEmitter<{ resize: [number, number]; focus: [] }>());
 * const bus = await client.getGlobal<EventEmitter<{ resize: [number, number]; focus: [] }>>('bus');
 * fromRemoteEvent(bus, 'resize')                 // Observable<[number, number]>
 *   .pipe(debounceTime(100))
 *   .subscribe(([w, h]) => draw(w, h));
 * // any emitter, value type given explicitly:
 * fromRemoteEvent<[number, number]>(browserWindow, 'resize');
 * ```
 */
export function fromRemoteEvent<H, K extends RemoteEventName<H>>(handle: H, event: K): Observable<RemoteEventValue<H, K>>;
/**
 * An Observable of a remote emitter's events, with an explicit value type:
 * `fromRemoteEvent<[number, number]>(win, 'resize')`. (`H` is only inferred when `T` is not
 * given, so a misspelt name of a typed emitter is still an error.)
 */
export function fromRemoteEvent<T = unknown, H = unknown>(handle: H, event: RemoteEventName<H>): Observable<T>;
export function fromRemoteEvent(handle: unknown, event: string): Observable<unknown> {
  if (typeof event !== 'string') throw new TypeError('fromRemoteEvent expects an event name (a string).');
  const src = sourceOf(handle);
  if (!src) throw new TypeError('fromRemoteEvent expects a remora handle (async, sync, or a pending value of one) to an emitter.');
  if ('pending' in src) {
    // A value still on its way (the result of a call): wait for it, then share by its ref.
    let settled: Promise<unknown> | undefined;
    return afterSettled(() => (settled ??= NativePromise.resolve(src.pending)), (root) => fromRemoteEvent(root, event));
  }
  return sharedEventStream(src, event);
}

// ------------------------------------------------------------------------------------ eachValue

/**
 * Iterate a (remote) Observable with `for await`. Values that arrive while the loop body runs
 * are queued; breaking out of the loop (or throwing) unsubscribes, which for a remote stream
 * tears down its source in main. An error of the stream is thrown from the loop.
 * @example
 * ```ts
 * for await (const tick of eachValue(await api.ticks())) if (tick > 3) break;
 * ```
 */
export async function* eachValue<T>(source: Observable<T>): AsyncGenerator<T, void, undefined> {
  const queue: T[] = [];
  let head = 0;
  let done = false;
  let failure: { e: unknown } | undefined;
  let wake: (() => void) | undefined;
  const sub = source.subscribe({
    next: (v) => {
      queue.push(v);
      wake?.();
    },
    error: (e) => {
      failure = { e };
      wake?.();
    },
    complete: () => {
      done = true;
      wake?.();
    },
  });
  try {
    for (;;) {
      if (head < queue.length) {
        const v = queue[head]!;
        queue[head++] = undefined as T;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        yield v;
        continue;
      }
      if (failure) throw failure.e;
      if (done) return;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    sub.unsubscribe();
  }
}
