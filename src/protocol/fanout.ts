/**
 * A hot stream with many subscribers: what remora asked of rxjs's `Subject` (push a value to
 * everyone subscribed now, end everyone once), and nothing more.
 *
 * Why not `Subject`: a transport end and a renderer connection are in every page bundle, and
 * `Subject` with `BehaviorSubject` brings its own subscriber bookkeeping, error classes and
 * operator plumbing (about 0.6 KB gzipped, `npm run size`) for three uses that need none of
 * it. What subscribers see is still an rxjs `Observable`, so every public type stays rxjs's.
 * Both sides use it (transports, renderer), so it lives with the other runtime-neutral parts.
 * @packageDocumentation
 */
import { Observable, type Observer, type Subscriber, type Subscription } from 'rxjs';

/**
 * Values pushed with {@link Fanout.next} reach every current subscriber, in subscription
 * order; {@link Fanout.error} or {@link Fanout.complete} ends them all once, and a later
 * subscriber gets that ending at once (as with a `Subject`). Nothing is replayed.
 */
export class Fanout<T> {
  private subscribers: Subscriber<T>[] = [];
  private ending: { readonly error: boolean; readonly value: unknown } | undefined;

  /** The stream subscribers subscribe to. */
  readonly observable: Observable<T> = new Observable<T>((subscriber) => {
    if (this.ending) {
      if (this.ending.error) subscriber.error(this.ending.value);
      else subscriber.complete();
      return undefined;
    }
    this.subscribers.push(subscriber);
    return () => {
      const i = this.subscribers.indexOf(subscriber);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  });

  /** True while anyone is subscribed. */
  get observed(): boolean {
    return this.subscribers.length > 0;
  }

  /** The stream (the same Observable every time). */
  asObservable(): Observable<T> {
    return this.observable;
  }

  /** Subscribe to the stream. */
  subscribe(observer?: Partial<Observer<T>> | ((value: T) => void)): Subscription {
    return this.observable.subscribe(observer);
  }

  /** Push `value` to everyone subscribed now (ignored once ended). */
  next(value: T): void {
    if (this.ending) return;
    // A copy: a subscriber may unsubscribe (or subscribe another) while it is told.
    for (const s of this.subscribers.slice()) s.next(value);
  }

  /** End every subscriber with `error` (ignored once ended). */
  error(error: unknown): void {
    this.end({ error: true, value: error });
  }

  /** Complete every subscriber (ignored once ended). */
  complete(): void {
    this.end({ error: false, value: undefined });
  }

  private end(ending: { readonly error: boolean; readonly value: unknown }): void {
    if (this.ending) return;
    this.ending = ending;
    const told = this.subscribers;
    this.subscribers = [];
    for (const s of told) {
      if (ending.error) s.error(ending.value);
      else s.complete();
    }
  }
}
