/** Callbacks, listeners, subscriptions and the session's end, driven on a Session directly. */
import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { openSession } from './session-harness.js';

async function withEmitter() {
  const emitter = new EventEmitter();
  const values = new Subject<number>();
  let kept: ((...a: unknown[]) => void) | undefined;
  const t = openSession({
    svc: () => ({
      emitter,
      values: () => values,
      keep: (fn: (...a: unknown[]) => void) => void (kept = fn),
      fire: (v: unknown) => emitter.emit('x', v),
    }),
  });
  await t.hello();
  t.send({ t: 'require', id: 1, name: 'svc' });
  const ref = (await t.reply(1)).v[1] as number;
  return { ...t, ref, emitter, values, kept: () => kept };
}

describe('session callbacks and listeners', () => {
  it('sends a cb frame when main calls a renderer callback it registered as a listener', async () => {
    const t = await withEmitter();
    t.send({ t: 'apply', id: 2, ref: t.ref, path: ['emitter', 'on'], args: ['x', ['c', 9]] });
    await t.reply(2);
    expect(t.session.stats()).toMatchObject({ callbacks: 1, listeners: 1 });
    t.emitter.emit('x', 42);
    await t.settle();
    expect(t.frames().filter((f) => f.t === 'cb')).toEqual([{ t: 'cb', cb: 9, args: [42] }]);
  });

  it('forgets a once-listener after it fired', async () => {
    const t = await withEmitter();
    t.send({ t: 'apply', id: 2, ref: t.ref, path: ['emitter', 'once'], args: ['x', ['c', 9]] });
    await t.reply(2);
    t.emitter.emit('x', 1);
    expect(t.session.stats().listeners).toBe(0);
  });
});

describe('session subscriptions', () => {
  it('streams an Observable\'s values in next frames and tears the source down on unsub', async () => {
    const t = await withEmitter();
    t.send({ t: 'sub', id: 2, ref: t.ref, path: ['values'], args: [] });
    await t.settle();
    expect(t.values.observed).toBe(true);
    t.values.next(1);
    t.values.next(2);
    await t.settle();
    expect(t.frames().filter((f) => f.t === 'next')).toEqual([{ t: 'next', id: 2, v: [1, 2] }]);
    t.send({ t: 'unsub', id: 2 });
    await t.settle();
    expect(t.values.observed).toBe(false);
    expect(t.session.stats().subscriptions).toBe(0);
  });

  it('refuses a second stream with an id already open', async () => {
    const t = await withEmitter();
    t.send({ t: 'sub', id: 2, ref: t.ref, path: ['emitter'], event: 'x' });
    t.send({ t: 'sub', id: 2, ref: t.ref, path: ['emitter'], event: 'x' });
    await t.settle();
    expect(JSON.stringify(t.frames().find((f) => f.t === 'error'))).toContain('already open');
  });
});

describe('session end', () => {
  it('detaches listeners, stops streams, makes callbacks inert and empties every table', async () => {
    const t = await withEmitter();
    t.send({ t: 'apply', id: 2, ref: t.ref, path: ['emitter', 'on'], args: ['x', ['c', 9]] });
    t.send({ t: 'apply', id: 3, ref: t.ref, path: ['keep'], args: [['c', 10]] });
    t.send({ t: 'sub', id: 4, ref: t.ref, path: ['values'], args: [] });
    await t.reply(3);
    expect(t.emitter.listenerCount('x')).toBe(1);
    const before = t.messages.length;
    t.session.close({ kind: 'test' });
    expect(t.emitter.listenerCount('x')).toBe(0);
    expect(t.values.observed).toBe(false);
    expect(() => t.kept()!('late')).not.toThrow();
    await t.settle();
    expect(t.messages.length).toBe(before);
    expect(t.session.stats()).toEqual({ refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0, buffered: 0 });
    expect(t.ended).toEqual([t.session]);
    expect(t.session.closeReason).toEqual({ kind: 'test' });
  });

  it('aborts calls in flight and the end signal with E_CLOSED, and runs end hooks after the tables are empty', async () => {
    const t = openSession({ svc: () => ({ hang: () => new Promise(() => undefined) }) });
    await t.hello();
    t.send({ t: 'require', id: 1, name: 'svc' });
    const ref = (await t.reply(1)).v[1];
    t.send({ t: 'apply', id: 2, ref, path: ['hang'], args: [] });
    await t.settle();
    expect(t.session.stats().pending).toBe(1);
    const signal = t.session.endSignal;
    let refsAtHook = -1;
    t.session.onEnd(() => void (refsAtHook = t.session.stats().refs));
    t.session.close();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as { code?: string }).code).toBe('E_CLOSED');
    expect(refsAtHook).toBe(0);
    expect(t.session.stats().pending).toBe(0);
    let late = false;
    t.session.onEnd(() => void (late = true));
    expect(late).toBe(true);
  });

  it('closes once however many times it is asked', () => {
    const t = openSession();
    t.session.close({ kind: 'first' });
    t.session.close({ kind: 'second' });
    expect(t.ended).toHaveLength(1);
    expect(t.session.closeReason?.kind).toBe('first');
  });
});
