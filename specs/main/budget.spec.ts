/**
 * The broker-wide budget's pools as units: each table takes a unit per entry and gives it
 * back when the entry goes, and refuses with E_OVER_BUDGET when the pool is spent.
 * specs/reliability/budget.spec.ts runs sessions against it over worker threads.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/actor/inspect.js';
import { spawn } from '../../src/actor/spec.js';
import { type DeadLetter, Supervisor } from '../../src/actor/supervisor.js';
import { Pool } from '../../src/main/budget.js';
import { CallbackTable } from '../../src/main/callbacks.js';
import { RefTable } from '../../src/main/ref-table.js';
import { StreamOut, type StreamSink } from '../../src/main/stream-out.js';

function actor() {
  const inspector = new Inspector();
  return spawn({ kind: 'module', name: 'm', factory: () => ({}), lazy: false, options: {} }, new Supervisor('root', {}, inspector, new Subject<DeadLetter>()), inspector);
}

describe('budget pools', () => {
  it('shares one refs pool between tables, refusing past it and giving all back at clear', () => {
    const pool = new Pool(3, 'refs', 'maxRefs');
    const a = new RefTable(100, pool);
    const b = new RefTable(100, pool);
    const owner = actor();
    a.add({}, owner, false);
    a.add({}, owner, false);
    const held = {};
    b.add(held, owner, false);
    b.add(held, owner, false); // a second send of the same object is no new entry
    expect(() => b.add({}, owner, false)).toThrow(expect.objectContaining({ remoraCode: 'E_OVER_BUDGET' }));
    a.clear();
    expect(pool.used).toBe(1);
    b.release(1, 2);
    expect(pool.used).toBe(0);
  });

  it('counts callbacks against the pool until the table forgets them', () => {
    const pool = new Pool(2, 'callbacks', 'maxCallbacks');
    const table = new CallbackTable({ maxCallbacks: 100, invoke: () => undefined, scheduleFlush: () => undefined, pool });
    const owner = actor();
    const keep = [table.proxyFor(1, owner), table.proxyFor(2, owner), table.proxyFor(1, owner)];
    expect(() => table.proxyFor(3, owner)).toThrow(expect.objectContaining({ remoraCode: 'E_OVER_BUDGET' }));
    table.clear();
    expect(pool.used).toBe(0);
    expect(keep).toHaveLength(3);
  });

  it('applies the overflow policy to stream values beyond the window once the buffered pool is spent', () => {
    const pool = new Pool(2, 'buffered stream values', 'maxBuffered');
    const frames: any[] = [];
    const sink: StreamSink = { push: (f) => frames.push(f), schedule: () => undefined, encode: (v) => v as never, encodeError: (e) => (e as { remoraCode: string }).remoraCode, discard: () => undefined, streamEnded: () => undefined };
    const dropping = new StreamOut(1, sink, { window: 1, buffer: 100, overflow: 'drop-oldest', pool });
    for (let i = 0; i < 5; i++) dropping.next(i);
    expect(pool.used).toBe(2);
    expect(dropping.dropped).toBe(2);
    const failing = new StreamOut(2, sink, { window: 1, buffer: 100, overflow: 'error', pool });
    failing.next('a');
    failing.next('b');
    expect(frames.find((f) => f.t === 'error' && f.id === 2)).toEqual({ t: 'error', id: 2, e: 'E_OVER_BUDGET' });
    dropping.stop();
    expect(pool.used).toBe(0);
  });
});
