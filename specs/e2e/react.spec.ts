/**
 * `remora/react` in a real page: React 19 in Chromium, connected over the WebSocket transport,
 * renders a 1,000-item replica. A toggle in main re-renders exactly one row (render counts are
 * read from the page), an emitter event updates a component, unmounting it removes main's
 * listener, and a reload leaves main's tables where the first load had them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createBroker, type Broker } from '../../src/entries/main.js';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { until } from '../support/workers.js';
import { createBus, createTodos } from './fixtures/react-api.js';
import { bundleReactPage } from './fixtures/react-bundle.js';
import { launchChromium, openReady, PAGE_HTML, startHost, waitReady } from './support/browser.js';

/** The page's `window.t` (see fixtures/react-page.tsx); these callbacks run inside the page. */
declare const t: any;

let browser: Browser;
let bundle: string;
beforeAll(async () => {
  [browser, bundle] = await Promise.all([launchChromium(), bundleReactPage('./react-page.tsx')]);
});
afterAll(async () => {
  await browser?.close();
});

let host: WebSocketHost | undefined;
let page: Page | undefined;
afterEach(async () => {
  await page?.close().catch(() => undefined);
  page = undefined;
  await host?.close();
  host = undefined;
});

async function setup() {
  const broker: Broker = createBroker();
  const todos = createTodos(1000);
  const bus = createBus();
  todos.expose(broker, 'todos');
  broker.exposeGlobal('bus', bus);
  host = await startHost(broker, { '/': ['text/html', PAGE_HTML], '/page.js': ['text/javascript', bundle] });
  page = await openReady(browser, host.pageUrl('/'));
  await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1000 && document.getElementById('theme') !== null);
  await until(() => bus.listenerCount('theme') === 1, 5000, 'the theme badge to listen');
  return { broker, todos, bus, page };
}

/** The tables of main that must return to baseline. */
const stable = (b: Broker) => {
  const s = b.stats();
  return { sessions: s.sessions, refs: s.refs, listeners: s.listeners, subscriptions: s.subscriptions, callbacks: s.callbacks, pending: s.pending };
};

describe('remora/react in Chromium (React 19, WebSocket transport)', () => {
  it('re-renders exactly the toggled row of a 1,000-item replica, and only the slices that changed', async () => {
    const { todos, page } = await setup();
    const before = await page.evaluate(() => t.renders());
    expect(await page.evaluate(() => t.rowHistogram())).toEqual({ 1: 1000 });
    expect(before).toMatchObject({ list: 1, title: 1, done: 1 });

    await todos.dispatch('toggle', 500);
    await page.waitForFunction(() => document.querySelector('li[data-id="500"]')!.className === 'done' && document.getElementById('done')!.textContent === '1');
    const after = await page.evaluate(() => t.renders());
    console.log(`react e2e render counts after one toggle in main: list ${before.list}->${after.list}, row #500 ${before.rows[500]}->${after.rows[500]}, other rows ${JSON.stringify(await page.evaluate(() => t.rowHistogram()))}, title ${before.title}->${after.title}, done count ${before.done}->${after.done}`);
    expect(await page.evaluate(() => t.rowHistogram())).toEqual({ 1: 999, 2: 1 });
    expect(after.rows[500]).toBe(2);
    expect(after).toMatchObject({ list: before.list + 1, title: before.title, done: before.done + 1 });

    await todos.dispatch('retitle', 'Renamed');
    await page.waitForFunction(() => document.getElementById('title')!.textContent === 'Renamed');
    const third = await page.evaluate(() => t.renders());
    expect(await page.evaluate(() => t.rowHistogram())).toEqual({ 1: 999, 2: 1 });
    // The title changed; the items array kept its identity, so neither the list nor the done count re-rendered.
    expect(third).toMatchObject({ list: after.list, title: after.title + 1, done: after.done });
    console.log(`react e2e render counts after a retitle in main: list ${after.list}->${third.list}, rows unchanged, title ${after.title}->${third.title}, done count ${after.done}->${third.done}`);
  });

  it('updates a component from a main-side emitter event, and its unmount removes main\'s listener', async () => {
    const { broker: b, bus, page } = await setup();
    // An event stream is a subscription in main's tables (the state replica is the other one).
    expect(b.stats()).toMatchObject({ subscriptions: 2, listeners: 0 });
    bus.emit('theme', 'dark');
    await page.waitForFunction(() => document.getElementById('theme')!.textContent === 'dark');
    bus.emit('theme', 'solarized');
    await page.waitForFunction(() => document.getElementById('theme')!.textContent === 'solarized');

    await page.evaluate(() => t.showTheme(false));
    await page.waitForFunction(() => document.getElementById('no-theme') !== null);
    await until(() => bus.listenerCount('theme') === 0 && b.stats().subscriptions === 1, 5000, 'main to drop the listener after the unmount');
    expect(bus.listenerCount('theme')).toBe(0);
    expect(b.stats()).toMatchObject({ subscriptions: 1, listeners: 0 });

    // Mounting it again adds one listener again.
    await page.evaluate(() => t.showTheme(true));
    await until(() => bus.listenerCount('theme') === 1, 5000, 'the badge to listen again');
    expect(b.stats()).toMatchObject({ subscriptions: 2 });
  });

  it('returns main to its baseline on reload, and to zero when the page closes', async () => {
    const { broker: b, todos, bus, page } = await setup();
    await todos.dispatch('toggle', 7);
    await page.waitForFunction(() => document.querySelector('li[data-id="7"]')!.className === 'done');
    const baseline = stable(b);
    expect(baseline).toMatchObject({ sessions: 1, subscriptions: 2, pending: 0 });
    expect(todos.subscriberCount).toBe(1);

    for (let i = 0; i < 2; i++) {
      await page.reload();
      await waitReady(page);
      await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1000 && document.querySelector('li[data-id="7"]')!.className === 'done');
      await until(() => JSON.stringify(stable(b)) === JSON.stringify(baseline), 5000, `main's tables back to baseline after reload ${i + 1}: ${JSON.stringify(stable(b))} vs ${JSON.stringify(baseline)}`);
      expect(stable(b)).toEqual(baseline);
      expect(todos.subscriberCount).toBe(1);
      expect(bus.listenerCount('theme')).toBe(1);
    }

    await page.close();
    await until(() => b.stats().sessions === 0, 5000, 'session end after close');
    expect(stable(b)).toEqual({ sessions: 0, refs: 0, listeners: 0, subscriptions: 0, callbacks: 0, pending: 0 });
    expect(todos.subscriberCount).toBe(0);
    expect(bus.listenerCount('theme')).toBe(0);
  });
});
