/**
 * Renderer-side streams across a real worker-thread renderer: fromRemoteEvent (shared,
 * refcounted), remote Observables composed with RxJS operators, `for await`, and
 * cancellation reaching main.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { startStreamsRenderer, streamsBroker } from '../fixtures/streams-harness.js';
import { until } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function setup() {
  const { broker, api } = streamsBroker();
  const r = await startStreamsRenderer(broker);
  workers.push(r.worker);
  return { broker, api, r };
}

describe('fromRemoteEvent', () => {
  it('shares one main-side listener between subscribers and removes it after the last unsubscribes', async () => {
    const { broker, api, r } = await setup();
    await r.run('event', 'a', 'resize');
    await r.run('event', 'b', 'resize');
    await until(() => api.win.listenerCount('resize') === 1, 5000, 'listener in main');
    api.win.setSize(1024, 768);
    expect(await r.waitFor('a')).toEqual([[1024, 768]]);
    expect(await r.waitFor('b')).toEqual([[1024, 768]]);
    expect(api.win.listenerCount('resize')).toBe(1);
    expect(broker.stats().subscriptions).toBe(1);

    await r.run('unsubscribe', 'a');
    api.win.setSize(640, 480);
    expect(await r.waitFor('b', 2)).toEqual([[1024, 768], [640, 480]]);
    expect(api.win.listenerCount('resize')).toBe(1);

    await r.run('unsubscribe', 'b');
    await until(() => api.win.listenerCount('resize') === 0, 5000, 'listener removed');
    expect(broker.stats()).toMatchObject({ subscriptions: 0, listeners: 0, buffered: 0 });
    expect(r.reports('a')).toHaveLength(1);

    // A new subscriber after the last one left adds a fresh listener.
    await r.run('event', 'c', 'resize');
    await until(() => api.win.listenerCount('resize') === 1, 5000, 'listener again');
    api.win.setSize(1, 2);
    expect(await r.waitFor('c')).toEqual([[1, 2]]);
  });

  it('delivers events without arguments as undefined, and of a property path read without awaiting', async () => {
    const { api, r } = await setup();
    await r.run('event', 'f', 'focus');
    await r.run('pathEvent', 'p', 'resize');
    await until(() => api.win.listenerCount('focus') === 1 && api.win.listenerCount('resize') === 1, 5000, 'listeners');
    api.win.setFocus(true);
    api.win.setSize(3, 4);
    expect(await r.waitFor('f')).toEqual([undefined]);
    expect(await r.waitFor('p')).toEqual([[3, 4]]);
  });

  it('works on sync handles and on results of calls still in flight, sharing one listener with async handles', async () => {
    const { api, r } = await setup();
    await r.run('event', 'a', 'resize');
    await r.run('syncEvent', 's', 'resize');
    await r.run('callEvent', 'c', 'resize');
    await until(() => api.win.listenerCount('resize') === 1, 5000, 'listener');
    // The in-flight one joins once its call settles: resize until it has seen an event.
    await until(() => {
      api.win.setSize(5, 6);
      return r.reports('c').length > 0;
    }, 5000, 'events on the in-flight handle');
    for (const k of ['a', 's', 'c']) {
      expect(r.reports(k).length).toBeGreaterThan(0);
      expect(r.reports(k).every((v) => JSON.stringify(v) === '[5,6]')).toBe(true);
    }
    expect(api.win.listenerCount('resize')).toBe(1);
    for (const k of ['a', 's', 'c']) await r.run('unsubscribe', k);
    await until(() => api.win.listenerCount('resize') === 0, 5000, 'listener removed');
  });
});

describe('remote Observables', () => {
  it('compose with debounceTime and combineLatest into a reactive view', async () => {
    const { api, r } = await setup();
    await r.run('view');
    expect(await r.waitFor('view')).toEqual(['800x600']);
    // A burst of resizes in one tick arrives in one batch; the debounce keeps the last.
    for (let w = 801; w <= 900; w++) api.size$.next({ width: w, height: 600 });
    await r.waitFor('view', 2);
    api.focus$.next(true);
    await r.waitFor('view', 3);
    expect(r.reports('view')).toEqual(['800x600', '900x600', '900x600 focused']);
  });

  it('compose with switchMap: switching unsubscribes the previous remote stream, which tears down its source in main', async () => {
    const { broker, api, r } = await setup();
    await r.run('search');
    await until(() => api.win.listenerCount('resize') === 1, 5000, 'listener');
    api.win.setSize(100, 1);
    await r.waitFor('search', 2);
    expect(api.counters.live).toBe(1);
    api.win.setSize(200, 1);
    await until(() => r.reports('search').some((v) => String(v).startsWith('w200:')), 5000, 'second query');
    expect(api.counters.tornDown).toBe(1);
    expect(api.counters.live).toBe(1);
    const values = r.reports('search') as string[];
    const firstOfSecond = values.findIndex((v) => v.startsWith('w200:'));
    expect(values.slice(0, firstOfSecond).every((v) => v.startsWith('w100:'))).toBe(true);
    expect(values.slice(firstOfSecond).every((v) => v.startsWith('w200:'))).toBe(true);

    await r.run('unsubscribe', 'search');
    await until(() => api.counters.live === 0 && api.win.listenerCount('resize') === 0, 5000, 'teardown');
    await until(() => broker.stats().subscriptions === 0, 5000, 'no subscriptions');
  });

  it('delivers next, error and complete in order', async () => {
    const { r } = await setup();
    expect(await r.run('forAwait', 5)).toEqual([0, 1, 2, 3, 4]);
    expect(await r.run('failing')).toEqual([1, { message: 'source failed', code: 'ESOURCE', remoraCode: 'E_TARGET_THREW' }]);
  });

  it('unsubscribing tears down the main-side source', async () => {
    const { broker, api, r } = await setup();
    await r.run('live', 'a');
    await until(() => api.counters.live === 1, 5000, 'subscribed');
    api.feed.next(1);
    await r.waitFor('a');
    await r.run('unsubscribe', 'a');
    await until(() => api.counters.live === 0, 5000, 'torn down');
    expect(api.feed.observed).toBe(false);
    expect(broker.stats()).toMatchObject({ subscriptions: 0, buffered: 0 });
  });
});

describe('for await over a remote stream', () => {
  it('iterates every value of a completing stream', async () => {
    const { r } = await setup();
    expect(await r.run('forAwait', 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('unsubscribes (and tears down the source) when the loop breaks', async () => {
    const { api, r } = await setup();
    const done = r.run('forAwaitBreak', 3);
    await until(() => api.counters.live === 1, 5000, 'subscribed');
    for (let i = 0; i < 5; i++) api.feed.next(i);
    expect(await done).toEqual([0, 1, 2]);
    await until(() => api.counters.live === 0, 5000, 'torn down');
  });
});

describe('cancellation', () => {
  it('rejects the caller with E_ABORTED at once and aborts the call context signal in main', async () => {
    const { broker, api, r } = await setup();
    await r.run('startWait', 'w');
    await until(() => api.waits.started === 1, 5000, 'call started in main');
    // The outcome is read two microtasks after abort(): no reply from main could be involved.
    expect(await r.run('abort', 'w')).toBe('E_ABORTED');
    await until(() => api.waits.aborted.length === 1, 5000, 'signal aborted in main');
    expect(api.waits.aborted).toEqual(['E_ABORTED']);
    await until(() => broker.stats().pending === 0, 5000, 'call settled in main');
  });
});
