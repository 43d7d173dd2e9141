/**
 * The hooks under a real React renderer: React 19's development build in headless Chromium
 * (StrictMode's double effects and getSnapshot checks on), fed by RxJS subjects and a
 * stand-in replica. The page runs each scenario (fixtures/hooks-page.tsx) and returns what it
 * saw; the real boundary (a broker, a WebSocket, main's tables) is specs/e2e/react.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bundleReactPage } from '../e2e/fixtures/react-bundle.js';
import { launchChromium } from '../e2e/support/browser.js';

/** The page's scenarios (`window.h`); these callbacks run inside the page. */
declare const h: any;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  const [b, bundle] = await Promise.all([launchChromium(), bundleReactPage('../../react/fixtures/hooks-page.tsx', 'development')]);
  browser = b;
  page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.setContent('<!doctype html><meta charset="utf-8"><title>loading</title><body></body>');
  await page.addScriptTag({ content: bundle, type: 'module' });
  await page.waitForFunction(() => document.title === 'ready');
});
afterAll(async () => {
  if (page) expect(await page.evaluate(() => h.errors())).toEqual([]);
  await browser?.close();
});

describe('useObservable', () => {
  it('shows initial until the first value, skips a repeated value, and unsubscribes on unmount', async () => {
    const r = await page.evaluate(() => h.observable());
    expect(r).toMatchObject({ initial: '-1', afterOne: '1', afterTwo: '2', liveMounted: 1, liveAfterUnmount: 0, sameValueRenders: 0 });
  });

  it('resubscribes for a new Observable, and keeps the last value when the Observable errors', async () => {
    const r = await page.evaluate(() => h.observableSwitchAndError());
    expect(r).toEqual({
      first: 'active:a',
      switched: 'active:b',
      live: { a: 0, b: 1 },
      errored: 'error:b:E_CLOSED: session ended',
      liveAfterError: 0,
    });
  });
});

describe('useReplica', () => {
  it('re-renders a component only when its selection changed (identity, or the isEqual given)', async () => {
    const r = await page.evaluate(() => h.replicaSelection());
    // StrictMode renders each component twice per render: compare differences, not absolutes.
    const d = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, (b[k]! - a[k]!) > 0 ? 'rendered' : 'skipped']));
    expect(d(r.base, r.afterTitle)).toEqual({ title: 'rendered', items: 'skipped', count: 'skipped' });
    expect(d(r.afterTitle, r.afterToggle)).toEqual({ title: 'skipped', items: 'rendered', count: 'rendered' });
    expect(d(r.afterToggle, r.afterCopy)).toEqual({ title: 'skipped', items: 'rendered', count: 'skipped' });
    expect(r.observers).toBe(3);
    expect(r.observersAfterUnmount).toBe(0);
  });

  it('suspends until the first snapshot, and throws to the error boundary when the replica closes before one', async () => {
    const r = await page.evaluate(() => h.replicaSuspense());
    expect(r).toEqual({ before: { fallback: 'waiting', n: null }, after: { fallback: null, n: '7' }, caught: 'closed before the first snapshot' });
  });

  it('never shows two states of one replica in a concurrent render that a change interrupts', async () => {
    const r = await page.evaluate(() => h.noTearing());
    expect(r.torn).toEqual([]);
    expect(r.final).toEqual(['1']);
  });
});

describe('RemoraProvider, useRemora and useRemote', () => {
  it('hands the client down, boxes a function-like handle, disposes on unmount and for late results, and throws failures to the boundary', async () => {
    const r = await page.evaluate(() => h.remote());
    expect(r).toEqual({
      shown: 'handle',
      sameClient: true,
      disposed: expect.arrayContaining(['handle', 'late']),
      caught: 'E_NO_OBJECT: nothing called that',
      orphan: 'useRemora() needs a <RemoraProvider client={client}> above this component.',
    });
  });
});
