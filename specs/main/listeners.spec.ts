/** The listener registry on its own: what it records, forgets, and detaches. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ListenerRegistry, listenerMethod } from '../../src/main/listeners.js';

describe('listener registry', () => {
  it('records listeners an add method attached for its owner, and ignores functions it does not own', () => {
    const reg = new ListenerRegistry();
    const em = new EventEmitter();
    const mine = (): void => undefined;
    const other = (): void => undefined;
    em.on('x', mine);
    em.on('x', other);
    reg.observe(em, 'on', ['x', mine], (f) => f === mine);
    reg.observe(em, 'on', ['x', other], (f) => f === mine);
    expect(reg.size).toBe(1);
    expect(reg.find(em, 'x', mine)).toMatchObject({ target: em, event: 'x', detachWith: 'removeListener', once: false });
  });

  it('forgets a listener its owner removed from the same emitter and event only', () => {
    const reg = new ListenerRegistry();
    const a = new EventEmitter();
    const b = new EventEmitter();
    const fn = (): void => undefined;
    reg.observe(a, 'on', ['x', fn], () => true);
    reg.observe(b, 'on', ['x', fn], () => true);
    reg.observe(a, 'off', ['x', fn], () => true);
    expect(reg.size).toBe(1);
    expect(reg.find(b, 'x', fn)).toBeDefined();
  });

  it('forgets a fired once-listener, and keeps the same function still waiting as once elsewhere', () => {
    const reg = new ListenerRegistry();
    const a = new EventEmitter();
    const b = new EventEmitter();
    const fn = (): void => undefined;
    a.once('x', fn);
    b.once('y', fn);
    reg.observe(a, 'once', ['x', fn], () => true);
    reg.observe(b, 'once', ['y', fn], () => true);
    a.emit('x');
    reg.forgetFiredOnce(fn);
    expect(reg.size).toBe(1);
    expect(reg.find(b, 'y', fn)).toBeDefined();
  });

  it('removes every recorded listener from its emitter at detachAll, reports a failing removal and empties', () => {
    const reg = new ListenerRegistry();
    const em = new EventEmitter();
    const target = new EventTarget();
    const fn = (): void => undefined;
    em.on('x', fn);
    target.addEventListener('y', fn);
    reg.observe(em, 'on', ['x', fn], () => true);
    reg.observe(target, 'addEventListener', ['y', fn], () => true);
    const broken = { on: () => undefined, removeListener: () => { throw new Error('no'); } };
    reg.observe(broken, 'on', ['z', fn], () => true);
    const failures: unknown[] = [];
    reg.detachAll((e) => failures.push(e));
    expect(em.listenerCount('x')).toBe(0);
    expect(failures).toHaveLength(1);
    expect(reg.size).toBe(0);
  });

  it('detaches a wrapper a facade attached, found by the listener its caller knows', () => {
    const reg = new ListenerRegistry();
    const em = new EventEmitter();
    const listener = (): void => undefined;
    const wrapper = (): void => listener();
    em.on('resize', wrapper);
    reg.record({ target: em, event: 'resize', listener, attached: wrapper, detachWith: 'removeListener', once: false });
    expect(reg.detach(em, 'resize', listener)).toBe(true);
    expect(em.listenerCount('resize')).toBe(0);
    expect(reg.detach(em, 'resize', listener)).toBe(false);
  });

  it('does not take Object.prototype members for listener methods', () => {
    expect(listenerMethod('toString')).toBeUndefined();
    expect(listenerMethod('hasOwnProperty')).toBeUndefined();
    expect(listenerMethod('prependOnceListener')).toEqual({ adds: true, detachWith: 'removeListener', once: true });
    expect(listenerMethod('removeEventListener')).toEqual({ adds: false });
  });
});
