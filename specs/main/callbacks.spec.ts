/** The callback table on its own: one proxy per id, receipts, the limit, and what the renderer is told. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/actor/inspect.js';
import { spawn } from '../../src/actor/spec.js';
import { type DeadLetter, Supervisor } from '../../src/actor/supervisor.js';
import { CallbackTable } from '../../src/main/callbacks.js';

function setup(maxCallbacks = 10) {
  const inspector = new Inspector();
  const owner = spawn({ kind: 'module', name: 'm', factory: () => ({}), lazy: false, options: {} }, new Supervisor('root', {}, inspector, new Subject<DeadLetter>()), inspector);
  const calls: unknown[][] = [];
  let flushes = 0;
  const table = new CallbackTable({ maxCallbacks, invoke: (id, _p, o, args) => void calls.push([id, o === owner, ...args]), scheduleFlush: () => void flushes++ });
  return { table, owner, calls, flushes: () => flushes };
}

describe('callback table', () => {
  it('gives the same proxy for the same id while main holds it, counting each receipt', () => {
    const { table, owner } = setup();
    const p1 = table.proxyFor(1, owner);
    const p2 = table.proxyFor(1, owner);
    expect(p2).toBe(p1);
    expect(table.size).toBe(1);
    expect(table.owns(p1)).toBe(true);
    expect(table.owns(() => undefined)).toBe(false);
  });

  it('hands a call of the proxy to its session with the id and the owner it was made for', () => {
    const { table, owner, calls } = setup();
    table.proxyFor(7, owner)('a', 1);
    expect(calls).toEqual([[7, true, 'a', 1]]);
  });

  it('refuses a new callback at maxCallbacks with E_TOO_MANY_REFS while every proxy is still held', () => {
    const { table, owner } = setup(2);
    const held = [table.proxyFor(1, owner), table.proxyFor(2, owner)];
    expect(() => table.proxyFor(3, owner)).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_REFS' }));
    expect(held).toHaveLength(2);
  });

  it('forgets every callback at clear without telling the renderer', () => {
    const { table, owner, flushes } = setup();
    table.proxyFor(1, owner);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.takeFreed()).toBeUndefined();
    expect(flushes()).toBe(0);
  });
});
