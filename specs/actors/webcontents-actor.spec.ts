import { afterEach, describe, expect, it } from 'vitest';
import { WebContentsFacade } from '../../actors/webcontents-actor.js';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

describe('webContents actor', () => {
  it('delivers page events with their one useful argument, never Electron\'s event', async () => {
    app = electronApp();
    const win = await app.open();
    const facade = new WebContentsFacade(win.webContents);
    const titles: unknown[][] = [];
    const onTitle = (...args: unknown[]) => titles.push(args);
    facade.on('page-title-updated', onTitle);
    win.webContents.setPageTitle('Inbox (3)');
    expect(titles).toEqual([['Inbox (3)']]);
    facade.removeListener('page-title-updated', onTitle);
    expect(win.webContents.listenerCount('page-title-updated')).toBe(0);
  });

  it('wraps zoom, devtools and URL of the sender\'s own webContents', async () => {
    app = electronApp();
    const win = await app.open({ url: 'app://zoom.html' });
    const facade = new WebContentsFacade(win.webContents);
    facade.setZoomFactor(1.5);
    expect(facade.getZoomFactor()).toBe(1.5);
    expect(facade.getURL()).toBe('app://zoom.html');
    expect(facade.getId()).toBe(win.webContents.id);
    facade.openDevTools();
    expect(facade.isDevToolsOpened()).toBe(true);
    expect(() => facade.on('ipc-message' as never, () => undefined)).toThrow(expect.objectContaining({ code: 'E_DENIED' }));
  });

  it('delivers did-navigate-in-page for the main frame only (Electron emits it for subframes too)', async () => {
    app = electronApp();
    const win = await app.open({ url: 'app://spa.html' });
    const facade = new WebContentsFacade(win.webContents);
    const urls: unknown[] = [];
    facade.on('did-navigate-in-page', (url) => urls.push(url));
    const frame = await win.webContents.attachFrame('app://spa.html/frame');
    win.webContents.navigateInPage('app://spa.html/frame#b', frame);
    win.webContents.navigateInPage('app://spa.html#a');
    expect(urls).toEqual(['app://spa.html#a']);
  });

  it('still names its webContents after it was destroyed (Electron\'s native members throw then)', async () => {
    app = electronApp();
    const win = await app.open();
    const facade = new WebContentsFacade(win.webContents);
    const id = win.webContents.id;
    win.destroy();
    expect(facade.getId()).toBe(id);
    expect(facade.isDestroyed()).toBe(true);
  });
});
