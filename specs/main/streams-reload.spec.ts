/**
 * Callbacks, listeners and subscriptions a renderer leaves behind when it goes away
 * (reload = the worker is terminated and a new one starts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { startStreamsRenderer, streamsBroker } from '../fixtures/streams-harness.js';
import { until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const listenerCounts = (win: import('../fixtures/streams-api.js').FakeWindow) => ({
  close: win.listenerCount('close'),
  focus: win.listenerCount('focus'),
  blur: win.listenerCount('blur'),
  resize: win.listenerCount('resize'),
});

const baseline = { sessions: 0, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0, buffered: 0 };

describe('a renderer that reloads', () => {
  it('leaves no close listener behind: main emits close after the reload without throwing', async () => {
    const { broker, api } = streamsBroker();
    const before = api.win.listenerCount('close');
    const r = await startStreamsRenderer(broker);
    workers.push(r.worker);
    await r.run('onClose');
    expect(api.win.listenerCount('close')).toBe(before + 1);
    api.win.emit('close', 'first');
    expect(await r.waitFor('close')).toEqual(['first']);

    await r.worker.terminate(); // the reload
    await until(() => broker.stats().sessions === 0, 5000, 'session end');
    expect(() => api.win.emit('close', 'after reload')).not.toThrow();
    expect(api.win.listenerCount('close')).toBe(before);
    expect(broker.stats()).toEqual(baseline);
  });

  it('makes callbacks main kept elsewhere inert after the reload: calling them is a no-op', async () => {
    const { broker, api } = streamsBroker();
    const r = await startStreamsRenderer(broker);
    await r.run('keep');
    api.kept[0]!(1);
    expect(await r.waitFor('kept')).toEqual([1]);
    await r.worker.terminate();
    await until(() => broker.stats().sessions === 0, 5000, 'session end');
    expect(api.kept[0]!(2)).toBeUndefined();
    expect(broker.stats()).toEqual(baseline);
  });

  it('removes a listener added with addEventListener on a DOM-style EventTarget', async () => {
    const { broker, api } = streamsBroker();
    const r = await startStreamsRenderer(broker);
    await r.run('domListener');
    expect(getEventListeners(api.target, 'ping')).toHaveLength(1);
    api.target.dispatchEvent(new Event('ping'));
    expect(await r.waitFor('ping')).toEqual(['object']); // the Event arrives as a handle (of a remote object: typeof 'object')
    await r.worker.terminate();
    await until(() => broker.stats().sessions === 0, 5000, 'session end');
    expect(getEventListeners(api.target, 'ping')).toHaveLength(0);
    expect(() => api.target.dispatchEvent(new Event('ping'))).not.toThrow();
  });

  it('never throws in main when the event fires while the renderer is going away', async () => {
    const { broker, api } = streamsBroker();
    const r = await startStreamsRenderer(broker);
    await r.run('onClose');
    const dying = r.worker.terminate();
    // Fire while the worker dies, before main noticed the session end.
    expect(() => api.win.emit('close', 'during reload')).not.toThrow();
    await dying;
    expect(() => api.win.emit('close', 'after reload')).not.toThrow();
    await until(() => broker.stats().sessions === 0, 5000, 'session end');
    expect(api.win.listenerCount('close')).toBe(0);
  });

  it('returns listener counts and every session table to baseline after each of 100 reloads', { timeout: 300_000 }, async () => {
    const { broker, api } = streamsBroker();
    const before = listenerCounts(api.win);
    for (let i = 0; i < 100; i++) {
      const r = await startStreamsRenderer(broker, `reload-${i}`);
      await r.run('registerAll');
      // Subscribing is fire-and-forget: wait until main has attached all four.
      await until(() => broker.stats().subscriptions === 4 && api.counters.live === 1, 5000, 'subscriptions in main');
      const during = broker.stats();
      expect(during.sessions).toBe(1);
      expect(during.listeners).toBe(3); // on, once, addListener
      expect(during.subscriptions).toBe(4); // two events, live$, size$
      expect(api.counters.live).toBe(1);
      expect(api.win.listenerCount('resize')).toBe(before.resize + 2);
      await r.worker.terminate();
      await until(() => broker.stats().sessions === 0, 5000, `session ${i} end`);
      expect(listenerCounts(api.win)).toEqual(before);
      expect(broker.stats()).toEqual(baseline);
      expect(api.counters.live).toBe(0);
      expect(api.size$.observed).toBe(false);
      // Events after the reload reach nobody and throw nothing.
      api.win.emit('close', 'x');
      api.win.setSize(i, i);
      api.win.setFocus(i % 2 === 0);
      api.feed.next(i);
    }
    expect(api.counters.subscribed).toBe(100);
    expect(api.counters.tornDown).toBe(100);
  });

  it('ends the renderer\'s subscriptions with its session and tears their sources down', async () => {
    const { broker, api } = streamsBroker();
    const r = await startStreamsRenderer(broker);
    workers.push(r.worker);
    await r.run('live', 'a');
    await r.run('event', 'e', 'resize');
    await until(() => api.counters.live === 1 && api.win.listenerCount('resize') === 1, 5000, 'subscriptions in main');
    api.feed.next(7);
    await r.waitFor('a');
    await r.run('close'); // the renderer closes its connection (navigation)
    await r.waitFor('a:error');
    expect(r.reports('a:error')[0]).toMatchObject({ remoraCode: 'E_CLOSED' });
    expect(r.reports('e:error')[0]).toMatchObject({ remoraCode: 'E_CLOSED' });
    await until(() => broker.stats().sessions === 0, 5000, 'session end');
    expect(api.counters.live).toBe(0);
    expect(api.win.listenerCount('resize')).toBe(0);
    expect(api.feed.observed).toBe(false);
  });
});
