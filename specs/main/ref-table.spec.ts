/** The per-session ref table: ids per object, counted sends, releases, restarts and limits. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/actor/inspect.js';
import { spawn } from '../../src/actor/spec.js';
import { type DeadLetter, Supervisor } from '../../src/actor/supervisor.js';
import { RefTable } from '../../src/main/ref-table.js';

function actor() {
  const inspector = new Inspector();
  const supervisor = new Supervisor('root', {}, inspector, new Subject<DeadLetter>());
  return spawn({ kind: 'module', name: 'm', factory: () => ({}), lazy: false, options: {} }, supervisor, inspector);
}

describe('RefTable', () => {
  it('gives one id per object and counts each send of it', () => {
    const a = actor();
    const t = new RefTable(10);
    const o = {};
    const e1 = t.add(o, a, false);
    const e2 = t.add(o, a, false);
    expect(e2).toBe(e1);
    expect(e1.count).toBe(2);
    expect(t.add({}, a, false).id).not.toBe(e1.id);
    expect(t.size).toBe(2);
  });

  it('keeps an entry until every send is released, so a release racing a new send frees nothing', () => {
    const a = actor();
    const t = new RefTable(10);
    const e = t.add({}, a, false);
    t.add(e.value, a, false);
    expect(t.release(e.id, 1)).toBeUndefined();
    expect(t.get(e.id)).toBe(e);
    expect(t.release(e.id, 1)).toBe(e);
    expect(t.get(e.id)).toBeUndefined();
  });

  it('ignores releases of ids it never issued', () => {
    const t = new RefTable(10);
    expect(t.release(42, 1)).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('undoes one add when a reply could not be sent', () => {
    const a = actor();
    const t = new RefTable(10);
    const e = t.add({}, a, false);
    t.undoAdd(e);
    expect(t.size).toBe(0);
  });

  it('keys an actor root by the actor, not its instance', () => {
    const a = actor();
    const t = new RefTable(10);
    const root = t.add(undefined, a, true);
    expect(root.value).toBeUndefined();
    expect(t.add(undefined, a, true)).toBe(root);
    expect(t.add(a.instance, a, false)).not.toBe(root);
  });

  it('refuses a new object past maxRefs with E_TOO_MANY_REFS, but still counts sends of held ones', () => {
    const a = actor();
    const t = new RefTable(1);
    const o = {};
    t.add(o, a, false);
    expect(() => t.add({}, a, false)).toThrow(expect.objectContaining({ code: 'E_TOO_MANY_REFS' }));
    expect(t.add(o, a, false).count).toBe(2);
  });

  it('re-homes an object sent again after its actor restarted, under a new id', async () => {
    const a = actor();
    const t = new RefTable(10);
    const o = {};
    const before = t.add(o, a, false);
    a.restart('test');
    const after = t.add(o, a, false);
    expect(after.id).not.toBe(before.id);
    expect(after.incarnation).toBe(a.incarnation);
    expect(t.get(before.id)).toBeUndefined();
  });

  it('empties at once on clear', () => {
    const a = actor();
    const t = new RefTable(10);
    t.add({}, a, false);
    t.add(undefined, a, true);
    t.clear();
    expect(t.size).toBe(0);
  });
});
