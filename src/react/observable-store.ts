/**
 * The bridge between an RxJS Observable and React's `useSyncExternalStore`: a small external
 * store that holds an Observable's latest value (and how it ended) as one immutable snapshot.
 *
 * React asks a store for two things: `subscribe(onChange)` and `getSnapshot()`, which must
 * return the same object until something changed. An Observable has no "current value" to
 * read during render, so this store keeps one: it subscribes upstream when its first React
 * listener arrives, replaces its snapshot on every emission, and unsubscribes when the last
 * listener leaves (unmount). No React import here: the store is plain TypeScript.
 * @packageDocumentation
 */
import type { Observable, Subscription } from 'rxjs';

/** What a hook knows about an Observable at one moment. */
export type ObservableState<T> =
  /** Nothing arrived yet: the hook shows its `initial` value. */
  | { readonly status: 'waiting'; readonly value: T }
  /** The latest value; more may come. */
  | { readonly status: 'active'; readonly value: T }
  /** The Observable errored (for a remote stream, `E_CLOSED` when the session ended); `value` is the last one. */
  | { readonly status: 'error'; readonly value: T; readonly error: unknown }
  /** The Observable completed; `value` is the last one. */
  | { readonly status: 'complete'; readonly value: T };

/** The store's own snapshot: like {@link ObservableState}, with "no value yet" kept apart from `initial`. */
export type StoreSnapshot<T> =
  | { readonly status: 'waiting' }
  | { readonly status: 'active'; readonly value: T }
  | { readonly status: 'error'; readonly has: boolean; readonly value?: T; readonly error: unknown }
  | { readonly status: 'complete'; readonly has: boolean; readonly value?: T };

const WAITING: StoreSnapshot<never> = Object.freeze({ status: 'waiting' });

/**
 * An external store over one Observable. Subscribes upstream while it has listeners; keeps its
 * last snapshot across a gap (a remount shows the last value, not `initial`). Once the
 * Observable ended (error or complete) the snapshot is final and nothing resubscribes.
 */
export class ObservableStore<T> {
  private snapshot: StoreSnapshot<T> = WAITING;
  private readonly listeners = new Set<() => void>();
  private upstream: Subscription | undefined;

  constructor(private readonly source: Observable<T>) {}

  /** `getSnapshot` for React: the same object until the Observable emitted or ended. */
  readonly getSnapshot = (): StoreSnapshot<T> => this.snapshot;

  /** `subscribe` for React: the first listener subscribes upstream; the last one to leave unsubscribes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1 && !this.upstream && !this.ended()) {
      const sub = this.source.subscribe({
        next: (value) => {
          // A repeated value keeps the snapshot, so React does not re-render for it.
          if (this.snapshot.status !== 'active' || !Object.is(this.snapshot.value, value)) this.set({ status: 'active', value });
        },
        // Handled here, so RxJS never reports it as unhandled; the hook decides what to show.
        error: (error) => this.set({ status: 'error', ...this.last(), error }),
        complete: () => this.set({ status: 'complete', ...this.last() }),
      });
      // A synchronous error or complete has already ended it; keep no handle to a closed subscription.
      if (!this.ended()) this.upstream = sub;
    }
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      const sub = this.upstream;
      this.upstream = undefined;
      sub?.unsubscribe();
    };
  };

  /** Listeners React holds now (for specs and tooling). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private ended(): boolean {
    return this.snapshot.status === 'error' || this.snapshot.status === 'complete';
  }

  private last(): { has: boolean; value?: T } {
    const s = this.snapshot;
    if (s.status === 'active') return { has: true, value: s.value };
    if (s.status === 'waiting') return { has: false };
    return s.has ? { has: true, value: s.value } : { has: false };
  }

  private set(next: StoreSnapshot<T>): void {
    this.snapshot = next;
    if (next.status !== 'active') this.upstream = undefined;
    for (const l of [...this.listeners]) l();
  }
}

/** The state a hook shows: the store's snapshot with `initial` standing in for a missing value. */
export function withInitial<T>(s: StoreSnapshot<T>, initial: T): ObservableState<T> {
  switch (s.status) {
    case 'waiting':
      return { status: 'waiting', value: initial };
    case 'active':
      return s;
    case 'error':
      return { status: 'error', value: s.has ? (s.value as T) : initial, error: s.error };
    case 'complete':
      return { status: 'complete', value: s.has ? (s.value as T) : initial };
  }
}
