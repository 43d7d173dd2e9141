/** Intake, driven on a Session directly: unbatching, validation, the handshake, routing by frame kind. */
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { openSession } from './session-harness.js';

describe('session intake', () => {
  it('refuses a request that comes before the hello handshake with E_PROTOCOL', async () => {
    const t = openSession({ svc: () => ({}) });
    t.send({ t: 'require', id: 1, name: 'svc' });
    const r = await t.reply(1);
    expect(r.t).toBe('fail');
    expect(JSON.stringify(r.e)).toContain('E_PROTOCOL');
    expect(t.session.closed).toBe(false);
  });

  it('welcomes a hello of its own protocol version with the session id and the generation', async () => {
    const t = openSession();
    t.send({ t: 'hello', v: PROTOCOL_VERSION, gen: 7, name: 'page' });
    await t.settle();
    expect(t.frames()).toEqual([{ t: 'welcome', v: PROTOCOL_VERSION, session: t.session.id, gen: 7 }]);
    expect(t.session.generation).toBe(7);
    expect(t.session.name).toBe('page');
  });

  it('says bye to a hello of another protocol version and ends the session for "version"', async () => {
    const t = openSession();
    t.send({ t: 'hello', v: PROTOCOL_VERSION + 1, gen: 1 });
    await t.settle();
    expect(t.frames()[0]).toMatchObject({ t: 'bye' });
    expect(t.frames()[0].reason).toMatch(/^E_VERSION/);
    expect(t.session.closed).toBe(true);
    expect(t.session.closeReason?.kind).toBe('version');
    expect(t.ended).toEqual([t.session]);
  });

  it('answers a malformed frame that carries a request id with fail, and reports one without an id as dropped', async () => {
    const t = openSession();
    await t.hello();
    t.send({ t: 'get', id: 5, path: 'not-an-array', ref: 1 });
    t.send({ t: 'nonsense' });
    const r = await t.reply(5);
    expect(r.t).toBe('fail');
    expect(t.events.some((e) => e.kind === 'dropped')).toBe(true);
    expect(t.session.closed).toBe(false);
  });

  it('unbatches a batch, routes each frame by its kind, and answers the batch in one message', async () => {
    const t = openSession({ a: () => ({ x: 1 }), b: () => ({ y: 2 }) });
    await t.hello();
    const before = t.messages.length;
    t.send({ t: 'batch', f: [{ t: 'require', id: 1, name: 'a' }, { t: 'require', id: 2, name: 'b' }] });
    await t.reply(2);
    expect(t.messages.length).toBe(before + 1);
    expect(t.messages[before]).toMatchObject({ t: 'batch', f: [{ t: 'ok', id: 1 }, { t: 'ok', id: 2 }] });
  });

  it('refuses a second request with an id already in flight', async () => {
    let release!: () => void;
    const t = openSession({ slow: () => ({ wait: () => new Promise<void>((r) => (release = r)) }) });
    await t.hello();
    t.send({ t: 'require', id: 1, name: 'slow' });
    const ref = (await t.reply(1)).v[1];
    t.send({ t: 'batch', f: [{ t: 'apply', id: 2, ref, path: ['wait'], args: [] }, { t: 'apply', id: 2, ref, path: ['wait'], args: [] }] });
    const r = await t.reply(2);
    expect(JSON.stringify(r.e)).toContain('already in flight');
    release();
  });

  it('ignores every message once the session ended', async () => {
    const t = openSession({ a: () => ({}) });
    await t.hello();
    t.session.close({ kind: 'test' });
    const before = t.messages.length;
    t.session.receive({ t: 'require', id: 1, name: 'a' });
    await t.settle();
    expect(t.messages.length).toBe(before);
  });
});
