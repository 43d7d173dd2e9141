/** The pipeline and operations, driven on a Session directly: targets, chains in one message, the access rules. */
import { describe, expect, it } from 'vitest';
import { openSession } from './session-harness.js';

class Counter {
  n = 0;
  add(k: number): Counter {
    this.n += k;
    return this;
  }
}

async function withSvc() {
  const t = openSession({
    svc: () => ({
      counter: () => new Counter(),
      boom: () => {
        throw new Error('boom');
      },
      Point: class {
        constructor(readonly x: number) {}
      },
      value: 1,
    }),
  });
  await t.hello();
  t.send({ t: 'require', id: 1, name: 'svc' });
  const ref = (await t.reply(1)).v[1] as number;
  return { ...t, ref };
}

describe('session pipeline', () => {
  it('resolves a target from a result in the same message and sends the whole chain in one message', async () => {
    const t = await withSvc();
    const before = t.messages.length;
    t.send({ t: 'batch', f: [
      { t: 'apply', id: 2, ref: t.ref, path: ['counter'], args: [], k: 1 },
      { t: 'apply', id: 3, on: 2, path: ['add'], args: [5], k: 1 },
      { t: 'get', id: 4, on: 3, path: ['n'] },
    ] });
    expect((await t.reply(4)).v).toBe(5);
    expect(t.messages.length).toBe(before + 1);
    expect(t.session.stats().pipes).toBe(0);
  });

  it('fails the dependents of a base that failed, with the base\'s reason', async () => {
    const t = await withSvc();
    t.send({ t: 'batch', f: [
      { t: 'apply', id: 2, ref: t.ref, path: ['boom'], args: [], k: 1 },
      { t: 'get', id: 3, on: 2, path: ['n'] },
    ] });
    const r = await t.reply(3);
    expect(r.t).toBe('fail');
    expect(JSON.stringify(r.e)).toContain('The pipelined call it depends on failed: boom');
  });

  it('refuses a request pipelined on a result that is not in its message with E_PROTOCOL', async () => {
    const t = await withSvc();
    t.send({ t: 'get', id: 2, on: 99, path: ['n'] });
    expect(JSON.stringify((await t.reply(2)).e)).toContain('E_PROTOCOL');
  });

  it('refuses a request pipelined on its own id with E_PROTOCOL, and fails what was pipelined on it', async () => {
    // Found by the worker frame fuzzer: such a request found the pipe it had just opened for its
    // own dependents, waited on itself, and was never answered (no actor held it, so no deadline).
    const t = await withSvc();
    t.send({ t: 'batch', f: [
      { t: 'get', id: 2, on: 2, path: ['value'], k: 1 },
      { t: 'get', id: 3, on: 2, path: ['value'] },
    ] });
    const [own, dependent] = [await t.reply(2), await t.reply(3)];
    expect(own.t).toBe('fail');
    expect(JSON.stringify(own.e)).toContain('E_PROTOCOL');
    expect(dependent.t).toBe('fail');
    expect(JSON.stringify(dependent.e)).toContain('E_PROTOCOL');
    expect(t.session.stats()).toMatchObject({ pending: 0, pipes: 0 });
  });

  it('drops a pipe whose announced dependents never came by the end of its message', async () => {
    const t = await withSvc();
    t.send({ t: 'apply', id: 2, ref: t.ref, path: ['counter'], args: [], k: 3 });
    await t.reply(2);
    expect(t.session.stats().pipes).toBe(0);
  });

  it('refuses a ref the session does not hold with E_NO_OBJECT', async () => {
    const t = await withSvc();
    t.send({ t: 'get', id: 2, ref: 12345, path: ['value'] });
    expect(JSON.stringify((await t.reply(2)).e)).toContain('E_NO_OBJECT');
  });
});

describe('session operations', () => {
  it('gets, sets, applies and constructs on a held ref', async () => {
    const t = await withSvc();
    t.send({ t: 'set', id: 2, ref: t.ref, path: ['value'], value: 41 });
    expect((await t.reply(2)).t).toBe('ok');
    t.send({ t: 'get', id: 3, ref: t.ref, path: ['value'] });
    expect((await t.reply(3)).v).toBe(41);
    t.send({ t: 'new', id: 4, ref: t.ref, path: ['Point'], args: [3] });
    const point = (await t.reply(4)).v;
    expect(point[0]).toBe('r');
    t.send({ t: 'get', id: 5, ref: point[1], path: ['x'] });
    expect((await t.reply(5)).v).toBe(3);
  });

  it('refuses to reach constructor through a path under the access rules', async () => {
    const t = await withSvc();
    t.send({ t: 'get', id: 2, ref: t.ref, path: ['counter', 'constructor'] });
    expect(JSON.stringify((await t.reply(2)).e)).toContain('E_DENIED');
  });
});
