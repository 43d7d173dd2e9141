/**
 * A renderer in a real Chromium page, connected over the WebSocket transport: sync and async
 * calls, a remote Observable driving the DOM, release after the page's GC, isolation between
 * pages, and the session's end on navigation and on a renderer crash.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createBroker, type Broker } from '../../src/entries/main.js';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { until } from '../support/workers.js';
import { makeE2eApi } from './fixtures/e2e-api.js';
import { bundlePage, launchChromium, openReady, PAGE_HTML, startHost } from './support/browser.js';

/** The page fixture's `window.t` (see fixtures/page.ts); these callbacks run inside the page. */
declare const t: any;

let browser: Browser;
/** One context for the file: pages (tabs) in it still get their own sockets and sessions. */
let context: BrowserContext;
let bundle: string;
beforeAll(async () => {
  [browser, bundle] = await Promise.all([launchChromium(), bundlePage('../fixtures/page.ts')]);
  context = await browser.newContext();
});
afterAll(async () => {
  await browser?.close();
});

let host: WebSocketHost | undefined;
let pages: Page[] = [];
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
  pages = [];
  await host?.close();
  host = undefined;
});

async function setup() {
  const broker: Broker = createBroker();
  const e2e = makeE2eApi();
  broker.exposeModule('api', () => e2e.api);
  host = await startHost(broker, {
    '/': ['text/html', PAGE_HTML],
    '/page.js': ['text/javascript', bundle],
    '/plain.html': ['text/html', '<!doctype html><title>no remora here</title>'],
  });
  const open = async (): Promise<Page> => {
    const p = await openReady(context, host!.pageUrl('/'));
    pages.push(p);
    return p;
  };
  return { broker, e2e, host, open };
}

describe('a page in Chromium over the WebSocket transport', () => {
  it('answers async calls and carries binary data as base64', async () => {
    const { open } = await setup();
    const page = await open();
    expect(await page.evaluate(() => t.add(2, 3))).toBe(5);
    expect(await page.evaluate(() => t.bytes(1000))).toEqual({ isU8: true, length: 1000, back: Array.from({ length: 1000 }, (_, i) => i % 251).reduce((a, b) => a + b, 0) });
  });

  it('answers synchronous calls over the sync XHR endpoint, in the same session', async () => {
    const { open, broker } = await setup();
    const page = await open();
    expect(await page.evaluate(() => t.syncAdd(20, 22))).toBe(42);
    expect(await page.evaluate(() => t.syncConstruct())).toBe(7);
    expect(broker.stats().sessions).toBe(1);
    expect(await page.evaluate(() => t.syncBoom())).toMatchObject({ code: 'EBOOM', remoraCode: 'E_TARGET_THREW', message: 'kaboom' });
  });

  it('routes a sync call after the async frames the page sent before it', async () => {
    const { open } = await setup();
    const page = await open();
    for (let i = 0; i < 5; i++) expect(await page.evaluate(() => t.asyncThenSync())).toBe(5);
  });

  it('renders a remote Observable into the DOM as main pushes values', async () => {
    const { open, e2e } = await setup();
    const page = await open();
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'idle');
    for (const v of ['loading', 'busy: 3 jobs', 'done']) {
      e2e.statusSubject.next(v);
      await page.waitForFunction((want) => document.getElementById('status')!.textContent === want, v);
    }
    expect(e2e.probe.statusSubscribers).toBe(1);
  });

  it('delivers main-side events to a listener the page added', async () => {
    const { open, e2e } = await setup();
    const page = await open();
    e2e.emitter.emit('ping', 1);
    e2e.emitter.emit('ping', 2);
    await page.waitForFunction(() => t.pings().length === 2);
    expect(await page.evaluate(() => t.pings())).toEqual([1, 2]);
  });

  it('releases main objects once the page garbage-collects their handles', async () => {
    const { open, broker } = await setup();
    const page = await open();
    const baseline = broker.stats().refs;
    await page.evaluate(() => t.makeGarbage(300));
    expect(broker.stats().refs).toBe(baseline + 300);
    await page.evaluate(() => t.collect());
    await until(() => broker.stats().refs === baseline, 10_000, 'refs back to baseline after gc() in the page');
    expect(broker.stats().refs).toBe(baseline);
    expect(await page.evaluate(() => t.heldValue(0))).toBe(1);
  });

  it('keeps pages apart: a ref id from page A is E_NO_OBJECT in page B', async () => {
    const { open } = await setup();
    const a = await open();
    const b = await open();
    const idInA = await a.evaluate(() => t.hold(20));
    expect(await a.evaluate((id) => t.readRef(id), idInA)).toEqual({ value: 19 });
    expect(await b.evaluate((id) => t.readRef(id), idInA)).toMatchObject({ code: 'E_NO_OBJECT' });
    expect(await a.evaluate(() => t.session())).not.toBe(await b.evaluate(() => t.session()));
  });

  it('rejects the page\'s pending and later calls with E_CLOSED when main shuts down', async () => {
    const { open, broker, host } = await setup();
    const page = await open();
    const hung = page.evaluate(() => t.hang());
    await until(() => broker.stats().pending === 1, 5000, 'the call to reach main');
    await host.close();
    expect(await hung).toMatchObject({ code: 'E_CLOSED' });
    expect(await page.evaluate(() => t.syncAfterClose())).toMatchObject({ code: 'E_CLOSED' });
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'disconnected: E_CLOSED');
    expect(broker.stats().sessions).toBe(0);
  });

  it('ends the session of a page that navigates away', async () => {
    const { open, broker, e2e, host } = await setup();
    const page = await open();
    expect(broker.stats()).toMatchObject({ sessions: 1, listeners: 1, subscriptions: 1 });
    const closed = new Promise<string | undefined>((res) => broker.inspect$.subscribe((e) => e.kind === 'session-closed' && res(e.detail)));
    await page.goto(`${host.origin}/plain.html`);
    expect(await closed).toBe('going-away');
    await until(() => broker.stats().sessions === 0, 5000, 'session end after navigation');
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0 });
    expect(e2e.emitter.listenerCount('ping')).toBe(0);
    expect(e2e.probe.statusSubscribers).toBe(0);
  });

  it('ends the session of a page whose renderer crashed', async () => {
    const { open, broker, e2e } = await setup();
    const page = await open();
    expect(broker.stats().sessions).toBe(1);
    const closed = new Promise<string | undefined>((res) => broker.inspect$.subscribe((e) => e.kind === 'session-closed' && res(e.detail)));
    const crashed = new Promise<void>((res) => page.once('crash', () => res()));
    await page.goto('chrome://crash').catch(() => undefined);
    await crashed;
    // Chromium's network process closes a crashed page's socket with 1001; a raw drop would be `crashed`.
    expect(await closed).toMatch(/^(going-away|crashed)$/);
    await until(() => broker.stats().sessions === 0, 5000, 'session end after crash');
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, callbacks: 0, listeners: 0, subscriptions: 0, pending: 0 });
    expect(e2e.emitter.listenerCount('ping')).toBe(0);
    expect(e2e.probe.statusSubscribers).toBe(0);
  });
});
