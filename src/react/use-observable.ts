/**
 * React hooks for Observables: {@link useObservable} renders an Observable's latest value,
 * {@link useObservableState} also tells how it ended, and {@link useRemoteEvent} renders a
 * main-side emitter's events (`fromRemoteEvent`) with the listener held only while mounted.
 *
 * Built on `useSyncExternalStore`, so a concurrent render never shows two values of one
 * store at once (no tearing). A component subscribes when it mounts and unsubscribes when it
 * unmounts or is given another Observable; for a remote stream that unsubscribe is what makes
 * main drop its listener or source subscription. When the session ends, remote streams error
 * with `E_CLOSED`: the subscription is over and the component keeps its last value.
 * @packageDocumentation
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { Observable } from 'rxjs';
import { fromRemoteEvent, type RemoteEventName, type RemoteEventValue } from '../renderer/index.js';
import { ObservableStore, withInitial, type ObservableState, type StoreSnapshot } from './observable-store.js';

const NO_SOURCE: StoreSnapshot<never> = Object.freeze({ status: 'waiting' });
const noSubscribe = (): (() => void) => () => undefined;
const noSnapshot = (): StoreSnapshot<never> => NO_SOURCE;

function useStoreSnapshot<T>(source: Observable<T> | null | undefined): StoreSnapshot<T> {
  // One store per Observable identity: pass a stable Observable (module scope, useMemo, a handle's stream).
  const store = useMemo(() => (source ? new ObservableStore(source) : undefined), [source]);
  return useSyncExternalStore(
    store ? store.subscribe : noSubscribe,
    store ? store.getSnapshot : noSnapshot,
    store ? store.getSnapshot : noSnapshot,
  );
}

/**
 * The latest value of `source`, and `initial` until the first one arrives. Re-renders only
 * when `source` emits a value that is not `Object.is` the one shown. An error or completion
 * keeps the last value (use {@link useObservableState} to see them). `source` may be
 * `null`/`undefined` while it is still on its way; give a stable Observable (not a new one per
 * render), or every render resubscribes.
 * @example
 * ```tsx
 * function Clock({ api }: { api: Remote<Api> }) {
 *   const ticks = useRemote(() => api.clock(), [api]); // Observable<string> | undefined
 *   return <span>{useObservable(ticks, '--:--')}</span>;
 * }
 * ```
 */
export function useObservable<T>(source: Observable<T> | null | undefined, initial: T): T {
  const s = useStoreSnapshot(source);
  return s.status === 'active' || ((s.status === 'error' || s.status === 'complete') && s.has) ? (s.value as T) : initial;
}

/**
 * Like {@link useObservable}, with how the Observable stands: `waiting` (nothing yet: `value`
 * is `initial`), `active`, `error` (with the error: for a remote stream `E_CLOSED` when the
 * session ended) or `complete`.
 * @example
 * ```tsx
 * const s = useObservableState(status$, 'idle');
 * if (s.status === 'error') return <p>disconnected: {String((s.error as Error).message)}</p>;
 * return <p>{s.value}</p>;
 * ```
 */
export function useObservableState<T>(source: Observable<T> | null | undefined, initial: T): ObservableState<T> {
  const s = useStoreSnapshot(source);
  return useMemo(() => withInitial(s, initial), [s, initial]);
}

/**
 * The latest event `event` of a main-side emitter, and `initial` until one arrives. Main
 * holds one listener while any mounted component (of this page) shows the event; the last
 * unmount removes it, and so does the end of the session. `handle` may be `undefined` while it
 * is loading, an awaited handle, or a pending value such as `client.getGlobal('bus')` (then
 * keep it stable, e.g. from {@link useRemote}). Names and values are typed as for
 * `fromRemoteEvent`.
 * @example
 * ```tsx
 * // main: broker.exposeGlobal('bus', new EventEmitter<{ theme: [string] }>());
 * const bus = useRemote((c) => c.getGlobal<EventEmitter<{ theme: [string] }>>('bus'));
 * const theme = useRemoteEvent(bus, 'theme', 'light'); // string
 * ```
 */
export function useRemoteEvent<H, K extends RemoteEventName<H>, I = RemoteEventValue<H, K>>(
  handle: H | null | undefined,
  event: K,
  initial: I,
): RemoteEventValue<H, K> | I {
  const source = useMemo(
    () => (handle == null ? undefined : (fromRemoteEvent(handle as H, event) as Observable<RemoteEventValue<H, K>>)),
    [handle, event],
  );
  return useObservable<RemoteEventValue<H, K> | I>(source, initial);
}
