/**
 * The client in components: {@link RemoraProvider} puts a renderer's `RemoraClient` into
 * React context, {@link useRemora} reads it, {@link useRemote} loads a handle (or any value)
 * from it once per set of dependencies, and {@link useConnectState} opens a replica for the
 * component's lifetime. Plain hooks over the public `remora/renderer` API: nothing here
 * knows about transports or main.
 * @packageDocumentation
 */
import { createContext, createElement, useContext, useEffect, useState, type DependencyList, type ReactNode } from 'react';
import { connectState, type RemoraClient, type ReplicaOptions } from '../renderer/index.js';

/** The context that carries the client; `null` outside a {@link RemoraProvider}. */
export const RemoraContext = createContext<RemoraClient | null>(null);
RemoraContext.displayName = 'RemoraContext';

/** Props of {@link RemoraProvider}. */
export interface RemoraProviderProps {
  /** The connected client (`connect(await connectToMain())`). */
  readonly client: RemoraClient;
  readonly children?: ReactNode;
}

/**
 * Make `client` available to every component below (`useRemora`, `useRemote`,
 * `useConnectState`). The provider does not own the client: closing it stays the app's call.
 * @example
 * ```tsx
 * const client = connect(await connectToMain());
 * createRoot(el).render(<RemoraProvider client={client}><App /></RemoraProvider>);
 * ```
 */
export function RemoraProvider({ client, children }: RemoraProviderProps): ReactNode {
  return createElement(RemoraContext.Provider, { value: client }, children);
}

/**
 * The client of the nearest {@link RemoraProvider}. Throws a TypeError outside of one.
 * @example
 * ```tsx
 * const client = useRemora();
 * const onSave = () => void client.require<Api>('api').save(draft);
 * ```
 */
export function useRemora(): RemoraClient {
  const client = useContext(RemoraContext);
  if (!client) throw new TypeError('useRemora() needs a <RemoraProvider client={client}> above this component.');
  return client;
}

/** A loaded value, or why it failed; boxed (a remora handle is a function proxy, which setState would call). */
type Loaded<T> = { readonly deps: readonly unknown[]; readonly value: T } | { readonly deps: readonly unknown[]; readonly error: unknown };

const sameDeps = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * Run `load(client)` after mount and whenever `deps` change; return what it resolved to, and
 * `undefined` until then (or while newer deps load). A rejection is thrown during render, to
 * the nearest error boundary. `dispose(value)` runs when the value is replaced, on unmount, and
 * for a result that arrives after the component left. Handles themselves need no dispose:
 * remora releases them once unreachable.
 * @example
 * ```tsx
 * const api = useRemote((c) => c.require<Api>('api'));          // Remote<Api> | undefined
 * const ticks = useRemote(async () => api && (await api.clock()), [api]);
 * ```
 */
export function useRemote<T>(load: (client: RemoraClient) => T, deps: DependencyList = [], dispose?: (value: Awaited<T>) => void): Awaited<T> | undefined {
  const client = useRemora();
  const key = [client, ...deps];
  const [loaded, setLoaded] = useState<Loaded<Awaited<T>> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let got: { value: Awaited<T> } | undefined;
    Promise.resolve()
      .then(() => load(client) as Awaited<T> | PromiseLike<Awaited<T>>)
      .then(
        (value: Awaited<T>) => {
          if (live) {
            got = { value };
            setLoaded({ deps: key, value });
          } else dispose?.(value);
        },
        (error: unknown) => {
          if (live) setLoaded({ deps: key, error });
        },
      );
    return () => {
      live = false;
      if (got) dispose?.(got.value);
    };
  }, key); // eslint-disable-line react-hooks/exhaustive-deps
  if (!loaded || !sameDeps(loaded.deps, key)) return undefined;
  if ('error' in loaded) throw loaded.error;
  return loaded.value;
}

/** The replica type `connectState<X>` resolves to. */
type ReplicaOf<X> = Awaited<ReturnType<typeof connectState<X>>>;

/**
 * A replica of main's state actor `name`, open while this component is mounted: `undefined`
 * until its first snapshot arrived, closed on unmount (main's subscription for it ends) or
 * when `name` changes. Type it with the main-side actor: `useConnectState<typeof todos>('todos')`.
 * Share one replica by calling this high in the tree and passing it down (or put it in your
 * own context); read slices with `useReplica`.
 * @example
 * ```tsx
 * function App() {
 *   const todos = useConnectState<typeof todosActor>('todos');
 *   return todos ? <TodoList todos={todos} /> : <p>loading…</p>;
 * }
 * ```
 */
export function useConnectState<X>(name: string, options?: ReplicaOptions): ReplicaOf<X> | undefined {
  return useRemote((client) => connectState<X>(client, name, options), [name], (r) => r.close());
}
