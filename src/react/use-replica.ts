/**
 * {@link useReplica}: render a slice of a replica (a renderer's live immutable copy of a
 * main-side state actor) and re-render only when that slice changed.
 *
 * The replica is an external store in React's sense: its `state` is an immutable value that
 * is replaced on every update, and immer's structural sharing keeps every untouched subtree
 * the same object. So `useSyncExternalStore` can read `replica.state` directly (no tearing),
 * a selector's result can be compared by identity (`Object.is`, the default), and a list row
 * wrapped in `React.memo` re-renders only when its own item changed.
 * @packageDocumentation
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Replica } from '../renderer/index.js';

/** What {@link useReplica} reads from a replica: any `Replica<S, A>` fits. */
export type ReplicaSource<S> = Pick<Replica<S, unknown>, 'state' | 'changes$' | 'ready' | 'closed'>;

/** The last selection, kept so an equal result keeps its identity (and React skips the re-render). */
interface Memo<S, R> {
  state: S;
  selector: (state: S) => R;
  selection: R;
}

/** How a replica's first snapshot went, for Suspense (kept on the replica's `ready` promise). */
const readiness = new WeakMap<Promise<unknown>, { settled: Promise<void>; failure?: { error: unknown } }>();

/** Suspend until the first snapshot (throw a promise), or throw why it never came. */
function suspendUntilReady(replica: ReplicaSource<unknown>): never {
  let r = readiness.get(replica.ready);
  if (!r) {
    const entry: { settled: Promise<void>; failure?: { error: unknown } } = { settled: Promise.resolve() };
    entry.settled = replica.ready.then(
      () => undefined,
      (error: unknown) => {
        entry.failure = { error };
      },
    );
    readiness.set(replica.ready, (r = entry));
  }
  if (r.failure) throw r.failure.error;
  throw r.settled;
}

/** The snapshot before the replica's first state. */
const NOT_READY: unique symbol = Symbol('remora.replica.notReady');

const identity = <T>(s: T): T => s;

/**
 * The whole state of a replica; re-renders on every update. Suspends (throws to the nearest
 * `<Suspense>`) until the first snapshot; throws the error if the replica closed before one.
 */
export function useReplica<S>(replica: ReplicaSource<S>): S;
/**
 * `selector(state)` of a replica, re-rendering only when the selection changed by `isEqual`
 * (default `Object.is`). Identity works for any slice of the state, because the replica keeps
 * untouched subtrees as they were; for a value computed afresh each time (a filtered array, a
 * new object) pass an `isEqual` such as a shallow compare. The selector may be an inline
 * function. Suspends until the replica's first snapshot (see the overload without selector).
 *
 * The component subscribes while mounted; an unmount unsubscribes (the replica itself stays
 * open: whoever created it closes it, or use {@link useConnectState}). When the session ends
 * the replica stops changing and the component keeps the last state.
 * @example
 * ```tsx
 * const Row = memo(function Row({ item }: { item: Todo }) { return <li>{item.text}</li>; });
 * function List({ todos }: { todos: Replica<TodoState, TodoActions> }) {
 *   const items = useReplica(todos, (s) => s.items); // same array until an item changed
 *   return <ul>{items.map((i) => <Row key={i.id} item={i} />)}</ul>;
 * }
 * ```
 */
export function useReplica<S, R>(replica: ReplicaSource<S>, selector: (state: S) => R, isEqual?: (a: R, b: R) => boolean): R;
export function useReplica<S, R>(replica: ReplicaSource<S>, selector?: (state: S) => R, isEqual: (a: R, b: R) => boolean = Object.is): R {
  const select = (selector ?? identity) as (state: S) => R;
  const memo = useRef<Memo<S, R> | undefined>(undefined);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const sub = replica.changes$.subscribe({ next: onChange, error: onChange, complete: onChange });
      return () => sub.unsubscribe();
    },
    [replica],
  );
  // Called by React during render and after every change: pure apart from the cache.
  const getSnapshot = (): R | typeof NOT_READY => {
    const state = replica.state;
    if (state === undefined) return NOT_READY;
    const m = memo.current;
    if (m && m.state === state && m.selector === select) return m.selection;
    const next = select(state);
    const selection = m && isEqual(m.selection, next) ? m.selection : next;
    memo.current = { state, selector: select, selection };
    return selection;
  };
  const selection = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  if (selection === NOT_READY) suspendUntilReady(replica as ReplicaSource<unknown>);
  return selection as R;
}

