/**
 * Renderer-side streams: events of remote emitters as Observables, and `for await` over any
 * Observable. Remote Observables themselves arrive as Observables (see `handles.ts`).
 * @packageDocumentation
 */
import { Observable, share } from 'rxjs';
import { errors } from '../errors.js';
import type { Connection } from './connection.js';
import { handleState } from './handles.js';
import type { RefState } from './lifetime.js';
import { syncHandleState } from './sync-handles.js';

function refOf(handle: unknown): { conn: Connection; ref: RefState } | undefined {
  const a = handleState(handle);
  if (a?.ref && a.root) return { conn: a.conn, ref: a.ref };
  return syncHandleState(handle);
}

/** Shared Observables per (ref, event), so several subscribers share one main-side listener. */
const eventStreams = new WeakMap<RefState, Map<string, Observable<unknown>>>();

/**
 * An Observable of a remote emitter's events. Subscribing adds one listener in main (shared
 * by all subscribers of the same handle and event); the last unsubscribe removes it; the
 * session's end removes it too. Several event arguments arrive as an array.
 * @example
 * ```ts
 * fromRemoteEvent<[number, number]>(win, 'resize').pipe(debounceTime(100)).subscribe(([w, h]) => draw(w, h));
 * ```
 */
export function fromRemoteEvent<T = unknown>(handle: unknown, event: string): Observable<T> {
  const s = refOf(handle);
  if (!s) throw new TypeError('fromRemoteEvent expects a remora handle (async or sync) to an emitter.');
  const ref = s.ref;
  const conn = s.conn;
  let byEvent = eventStreams.get(ref);
  if (!byEvent) eventStreams.set(ref, (byEvent = new Map()));
  let obs = byEvent.get(event);
  if (!obs) {
    obs = new Observable<unknown>((subscriber) => {
      if (ref.released) {
        subscriber.error(errors.released());
        return undefined;
      }
      const id = conn.openStream({ t: 'sub', ref: ref.id, path: [], event }, {
        next: (v) => subscriber.next(v),
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => conn.closeStream(id);
    }).pipe(share());
    byEvent.set(event, obs);
  }
  return obs as Observable<T>;
}

/**
 * Iterate a (remote) Observable with `for await`. Values that arrive while the loop body runs
 * are queued; breaking out of the loop unsubscribes.
 * @example
 * ```ts
 * for await (const tick of eachValue(await api.ticks())) if (tick > 3) break;
 * ```
 */
export async function* eachValue<T>(source: Observable<T>): AsyncGenerator<T, void, undefined> {
  const queue: T[] = [];
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
      if (queue.length) {
        yield queue.shift()!;
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
