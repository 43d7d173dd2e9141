/**
 * The two small Observable operators the renderer needs, written here instead of imported
 * from rxjs. Why: rxjs's `share`, `defer` and `switchMap` all go through `innerFrom`, which
 * accepts promises, iterables, async iterables and readable streams and pulls in tslib's
 * generator helpers and the operator-subscriber machinery. A page pays for all of that in its
 * bundle (about 2 KB gzipped, `npm run size`), for two uses that need none of it. What these return is still an rxjs `Observable`, so every public type stays
 * rxjs's and apps compose them with rxjs operators as before.
 * @packageDocumentation
 */
import { Observable, Subscription } from 'rxjs';
import { Fanout } from '../protocol/fanout.js';

/**
 * `source`, shared by reference count (rxjs's `share()` with its defaults): the first
 * subscriber subscribes to `source`, later ones share that subscription, and the last
 * unsubscribe ends it. When `source` errors or completes, every subscriber gets it, and the
 * next subscriber starts a fresh subscription to `source`.
 */
export function shareByRefCount<T>(source: Observable<T>): Observable<T> {
  let subject: Fanout<T> | undefined;
  let connection: Subscription | undefined;
  let count = 0;
  return new Observable<T>((subscriber) => {
    const s = (subject ??= new Fanout<T>());
    count++;
    s.subscribe(subscriber);
    if (!connection) {
      // Reset before telling subscribers, so one that resubscribes on error starts afresh.
      const end = (): void => {
        if (subject === s) subject = connection = undefined;
      };
      const c = (connection = new Subscription());
      c.add(source.subscribe({
        next: (v) => s.next(v),
        error: (e: unknown) => { end(); s.error(e); },
        complete: () => { end(); s.complete(); },
      }));
    }
    return () => {
      if (--count > 0 || subject !== s || !connection) return;
      const c = connection;
      subject = connection = undefined;
      c.unsubscribe();
    };
  });
}

/**
 * Wait for `pending` (once, shared by every subscriber), then mirror `project(value)`. A
 * rejection, or a `project` that throws, errors the subscriber; unsubscribing before the
 * promise settles means `project` is never called.
 */
export function afterSettled<V, T>(pending: () => PromiseLike<V>, project: (value: V) => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let inner: Subscription | undefined;
    let open = true;
    Promise.resolve(pending()).then((value) => {
      if (!open) return;
      try {
        inner = project(value).subscribe(subscriber);
      } catch (e) {
        subscriber.error(e);
      }
    }, (e: unknown) => subscriber.error(e));
    return () => {
      open = false;
      inner?.unsubscribe();
    };
  });
}
