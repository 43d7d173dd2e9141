/**
 * Fifty reloads of a real Chromium page: every reload closes the page's socket, its session
 * ends, and main's tables (refs, callbacks, listeners, subscriptions, pending calls) and the
 * real emitter and Observable behind them return to exactly the baseline of one loaded page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createBroker } from '../../src/entries/main.js';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { until } from '../support/workers.js';
import { makeE2eApi } from './fixtures/e2e-api.js';
import { bundlePage, launchChromium, openReady, PAGE_HTML, startHost, waitReady } from './support/browser.js';

let browser: Browser;
let host: WebSocketHost | undefined;
let bundle: string;
beforeAll(async () => {
  [browser, bundle] = await Promise.all([launchChromium(), bundlePage('../fixtures/page.ts')]);
});
afterAll(async () => {
  await host?.close();
  await browser?.close();
});

describe('reloading a page in Chromium', () => {
  it('returns main to the baseline of one page after each of 50 reloads', async () => {
    const broker = createBroker();
    const e2e = makeE2eApi();
    broker.exposeModule('api', () => e2e.api);
    host = await startHost(broker, { '/': ['text/html', PAGE_HTML], '/page.js': ['text/javascript', bundle] });
    const closedKinds: (string | undefined)[] = [];
    let opened = 0;
    broker.inspect$.subscribe((e) => {
      if (e.kind === 'session-closed') closedKinds.push(e.detail);
      if (e.kind === 'session-opened') opened++;
    });

    const page = await openReady(browser, host.pageUrl('/'));
    const baseline = broker.stats();
    expect(baseline).toMatchObject({ sessions: 1, pending: 0, listeners: 1, subscriptions: 1 });
    expect(baseline.refs).toBeGreaterThan(0);
    expect(baseline.callbacks).toBeGreaterThan(0);
    expect(e2e.emitter.listenerCount('ping')).toBe(1);
    expect(e2e.probe.statusSubscribers).toBe(1);

    for (let i = 1; i <= 50; i++) {
      // Leave something behind each time: objects the page holds, and a push in flight.
      await page.evaluate((n) => t.hold(n), 5);
      e2e.statusSubject.next(`before reload ${i}`);
      await page.reload({ waitUntil: 'commit' });
      await waitReady(page);
      await until(() => closedKinds.length === i && broker.stats().sessions === 1, 10_000, `the session of load ${i} to end`);
      expect(broker.stats()).toEqual(baseline);
      expect(e2e.emitter.listenerCount('ping')).toBe(1);
      expect(e2e.probe.statusSubscribers).toBe(1);
    }
    expect(opened).toBe(51);
    expect(new Set(closedKinds)).toEqual(new Set(['going-away']));

    // The fifty-first page still works, and its listener is the only one main calls.
    e2e.emitter.emit('ping', 51);
    await page.waitForFunction(() => t.pings().length === 1);
    await page.close();
    await until(() => broker.stats().sessions === 0, 5000, 'the last session to end');
    expect(broker.stats()).toMatchObject({ refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0 });
    expect(e2e.emitter.listenerCount('ping')).toBe(0);
  }, 240_000);
});

/** The page fixture's `window.t` (see fixtures/page.ts); these callbacks run inside the page. */
declare const t: any;
