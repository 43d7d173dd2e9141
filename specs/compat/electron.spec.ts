/**
 * Electron-specific behaviours of @electron/remote's suite ("remote webContents", "remote
 * function in renderer", "remote listeners", setting a property to `getCurrentWindow()`), over
 * the in-repo Electron stand-in: main here, each page in a real worker thread behind remora's
 * preload.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StandinBrowserWindow } from '../support/electron-standin/main.js';
import { type compatElectronApp as AppFactory, compatElectronApp } from './support/electron-app.js';
import { makeEvents } from './support/main-fixtures.js';

let app: ReturnType<typeof AppFactory> | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

describe('Electron behaviours (compat, Electron stand-in)', () => {
  it('returns the same webContents handle from each getCurrentWebContents() call', async () => {
    app = compatElectronApp();
    const w = await app.open();
    expect(await w.run((ctx) => {
      const a = ctx.remote.getCurrentWebContents();
      const b = ctx.remote.getCurrentWebContents();
      return { same: a === b, sameId: a.getId() === b.getId() };
    })).toEqual({ same: true, sameId: true });
  });

  it('has no webContents on the window facade (use getCurrentWebContents())', async () => {
    // Deliberate difference: getCurrentWindow() is a window facade, not a BrowserWindow; see docs/migration.md.
    app = compatElectronApp();
    const w = await app.open();
    expect(await w.run((ctx) => (ctx.remote.getCurrentWindow() as { webContents?: unknown }).webContents === undefined)).toBe(true);
  });

  it('refuses a page function set as a new property of its window (E_DENIED)', async () => {
    // Deliberate difference: @electron/remote let a preload hang `rendererFunc` on the BrowserWindow; remora's facade takes no new properties.
    app = compatElectronApp();
    const w = await app.open();
    expect(await w.run((ctx) => ctx.caught(() => {
      (ctx.remote.getCurrentWindow() as { rendererFunc?: () => void }).rendererFunc = () => undefined;
    }).code)).toBe('E_DENIED');
  });

  it('hands main the window facade, not the BrowserWindow, when a page passes getCurrentWindow()', async () => {
    // Deliberate difference: main's setter sees remora's window facade; a main API that wants the BrowserWindow takes the page's session instead.
    app = compatElectronApp();
    let received: unknown;
    app.broker.exposeModule('holder', () => ({ set win(v: unknown) { received = v; } }));
    const w = await app.open();
    await w.run((ctx) => { ctx.remote.require('holder').win = ctx.remote.getCurrentWindow(); });
    expect(received).toBeDefined();
    expect(received instanceof StandinBrowserWindow).toBe(false);
  });

  it('detaches listeners a page added in main when the page reloads, so emitting reaches no dead page', async () => {
    app = compatElectronApp();
    const events = makeEvents();
    app.broker.exposeModule('events', () => events);
    const w = await app.open();
    await w.run((ctx) => {
      const handler = (): void => undefined;
      const e = ctx.remote.require('events');
      e.emitter.on('remote-handler', handler);
      e.emitter.on('other-remote-handler', handler);
    });
    expect(events.emitter.listenerCount('remote-handler')).toBe(1);
    expect(events.emitter.listenerCount('other-remote-handler')).toBe(1);
    w.win.webContents.reload();
    await w.win.webContents.whenLoaded();
    // Deliberate difference: removed at the reload, not on the next emit with a console warning as @electron/remote did.
    expect(events.emitter.listenerCount('remote-handler')).toBe(0);
    expect(events.emitter.listenerCount('other-remote-handler')).toBe(0);
    expect(() => events.emitter.emit('remote-handler', {})).not.toThrow();
  });
});
