import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { afterSettled, shareByRefCount } from '../../src/renderer/operators.js';

/** A source that counts its subscriptions and teardowns and lets the spec drive it. */
function counted<T>() {
  const log = { subscribed: 0, tornDown: 0 };
  let sink: Subject<T> | undefined;
  const source = new Observable<T>((s) => {
    log.subscribed++;
    const subject = new Subject<T>();
    sink = subject;
    const sub = subject.subscribe(s);
    return () => { log.tornDown++; sub.unsubscribe(); };
  });
  return { source, log, emit: (v: T) => sink!.next(v), fail: (e: unknown) => sink!.error(e), end: () => sink!.complete() };
}

describe('shareByRefCount', () => {
  it('subscribes to the source once for many subscribers and ends it when the last one leaves', () => {
    const { source, log, emit } = counted<number>();
    const shared = shareByRefCount(source);
    const a: number[] = [];
    const b: number[] = [];
    const sa = shared.subscribe((v) => a.push(v));
    const sb = shared.subscribe((v) => b.push(v));
    emit(1);
    expect(log).toEqual({ subscribed: 1, tornDown: 0 });
    sa.unsubscribe();
    emit(2);
    expect(log.tornDown).toBe(0);
    sb.unsubscribe();
    expect(log).toEqual({ subscribed: 1, tornDown: 1 });
    expect([a, b]).toEqual([[1], [1, 2]]);
    shared.subscribe().unsubscribe();
    expect(log).toEqual({ subscribed: 2, tornDown: 2 });
  });

  it('delivers an error to every subscriber and starts afresh for the next one', () => {
    const { source, log, fail } = counted<number>();
    const shared = shareByRefCount(source);
    const errs: unknown[] = [];
    shared.subscribe({ error: (e) => errs.push(e) });
    shared.subscribe({ error: (e) => errs.push(e) });
    fail('boom');
    expect(errs).toEqual(['boom', 'boom']);
    const again = shared.subscribe();
    expect(log.subscribed).toBe(2);
    again.unsubscribe();
    expect(log.tornDown).toBe(2);
  });

  it('completes every subscriber when the source completes', () => {
    const { source, end } = counted<number>();
    const shared = shareByRefCount(source);
    let completed = 0;
    shared.subscribe({ complete: () => completed++ });
    shared.subscribe({ complete: () => completed++ });
    end();
    expect(completed).toBe(2);
  });

  it('lets a source that errors while being subscribed to be subscribed to again', () => {
    let subscribed = 0;
    const shared = shareByRefCount(new Observable<number>((s) => { subscribed++; s.error('released'); }));
    const errs: unknown[] = [];
    shared.subscribe({ error: (e) => errs.push(e) });
    shared.subscribe({ error: (e) => errs.push(e) });
    expect(errs).toEqual(['released', 'released']);
    expect(subscribed).toBe(2);
  });
});

describe('afterSettled', () => {
  it('waits for the promise once for all subscribers, then mirrors the projected Observable', async () => {
    let calls = 0;
    let settled: Promise<number> | undefined;
    const out = afterSettled(() => (settled ??= (calls++, Promise.resolve(3))), (n) => new Observable<number>((s) => { s.next(n * 2); s.complete(); }));
    const got: number[] = [];
    await new Promise<void>((done) => out.subscribe({ next: (v) => got.push(v), complete: done }));
    await new Promise<void>((done) => out.subscribe({ next: (v) => got.push(v), complete: done }));
    expect(got).toEqual([6, 6]);
    expect(calls).toBe(1);
  });

  it('errors with the rejection, or with what the projection throws', async () => {
    const rejected = afterSettled(() => Promise.reject(new Error('gone')), () => new Observable<number>());
    await expect(new Promise((_, reject) => rejected.subscribe({ error: reject }))).rejects.toThrow('gone');
    const throwing = afterSettled(() => Promise.resolve(1), () => { throw new TypeError('not a handle'); });
    await expect(new Promise((_, reject) => throwing.subscribe({ error: reject }))).rejects.toThrow('not a handle');
  });

  it('never projects when unsubscribed before the promise settles', async () => {
    let projected = false;
    const out = afterSettled(() => Promise.resolve(1), () => { projected = true; return new Observable<number>(); });
    out.subscribe().unsubscribe();
    await new Promise((r) => setTimeout(r, 0));
    expect(projected).toBe(false);
  });
});
