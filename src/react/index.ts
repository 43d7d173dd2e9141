/**
 * `remora/react`: React (>= 18) hooks for remora's renderer side. Replicas and remote
 * Observables become component state through `useSyncExternalStore`; the client reaches
 * components through a provider. React is imported only here: `remora/renderer` stays
 * framework-free (other frameworks take its Observables as they are; see docs/react.md).
 * @example
 * ```tsx
 * import { RemoraProvider, useConnectState, useReplica } from 'remora/react';
 *
 * function Count() {
 *   const todos = useConnectState<typeof todosActor>('todos');
 *   return todos ? <Open todos={todos} /> : null;
 * }
 * function Open({ todos }: { todos: Replica<TodoState, TodoActions> }) {
 *   return <b>{useReplica(todos, (s) => s.items.filter((i) => !i.done).length)}</b>;
 * }
 * ```
 * @module remora/react
 */
export { useObservable, useObservableState, useRemoteEvent } from './use-observable.js';
export type { ObservableState } from './observable-store.js';
export { useReplica, type ReplicaSource } from './use-replica.js';
export { RemoraContext, RemoraProvider, useRemora, useRemote, useConnectState, type RemoraProviderProps } from './context.js';
