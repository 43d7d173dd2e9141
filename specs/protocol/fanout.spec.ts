import { describe, expect, it } from 'vitest';
import { Fanout } from '../../src/protocol/fanout.js';

describe('Fanout', () => {
  it('pushes each value to every current subscriber, in subscription order', () => {
    const f = new Fanout<number>();
    const got: string[] = [];
    f.next(0); // nobody listens: dropped, not replayed
    f.subscribe((v) => got.push(`a${v}`));
    f.asObservable().subscribe((v) => got.push(`b${v}`));
    f.next(1);
    expect(got).toEqual(['a1', 'b1']);
  });

  it('says whether anyone is subscribed, and forgets a subscriber that unsubscribes', () => {
    const f = new Fanout<number>();
    expect(f.observed).toBe(false);
    const got: number[] = [];
    const sub = f.subscribe((v) => got.push(v));
    expect(f.observed).toBe(true);
    sub.unsubscribe();
    f.next(1);
    expect([f.observed, got]).toEqual([false, []]);
  });

  it('tells a subscriber that leaves while another is being told nothing more', () => {
    const f = new Fanout<number>();
    const got: string[] = [];
    let second: { unsubscribe(): void } | undefined;
    f.subscribe((v) => { got.push(`a${v}`); second?.unsubscribe(); });
    second = f.subscribe((v) => got.push(`b${v}`));
    f.next(1);
    f.next(2);
    expect(got).toEqual(['a1', 'a2']);
  });

  it('completes every subscriber once, ignores later values, and completes a late subscriber at once', () => {
    const f = new Fanout<number>();
    const log: string[] = [];
    f.subscribe({ next: (v) => log.push(`next ${v}`), complete: () => log.push('complete') });
    f.complete();
    f.complete();
    f.next(1);
    f.subscribe({ next: (v) => log.push(`late ${v}`), complete: () => log.push('late complete') });
    expect(log).toEqual(['complete', 'late complete']);
    expect(f.observed).toBe(false);
  });

  it('fails every subscriber with the error, and a late subscriber too', () => {
    const f = new Fanout<number>();
    const errs: unknown[] = [];
    f.subscribe({ error: (e) => errs.push(e) });
    f.error('boom');
    f.complete();
    f.subscribe({ error: (e) => errs.push(`late ${String(e)}`) });
    expect(errs).toEqual(['boom', 'late boom']);
  });
});
