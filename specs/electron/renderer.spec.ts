import { afterEach, describe, expect, it } from 'vitest';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

describe('remora/electron/renderer: compatibility mode through the stand-in', () => {
  it('exposes only remora\'s channel to the page (no ipcRenderer, no IPC event)', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'bridgeShape')).toEqual({
      keys: ['onMessage', 'pageId', 'send', 'sendSync'],
      ipcRenderer: 'undefined',
      require: 'undefined',
      frozen: true,
      listenerArgs: 1,
    });
  });

  it('remote.require calls a main function synchronously', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'require', 20, 22)).toBe(42);
    expect(app.broker.stats().sessions).toBe(1);
  });

  it('new on a remote constructor creates the object in main; reads and writes go to it', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'newCounter')).toEqual({ afterInc: 7, n: 10, afterSet: 11 });
  });

  it('remote.getGlobal reads an exposed global', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'getGlobal')).toEqual({ theme: 'dark', sizes: [1, 2, 3] });
  });

  it('remote.process is fetched once and cached', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'process')).toEqual({ platform: process.platform, type: 'browser', cached: true });
  });

  it('remote.getCurrentWindow is the sender\'s own window', async () => {
    app = electronApp();
    const a = await app.open({ title: 'A', width: 640, height: 480 });
    const b = await app.open({ title: 'B' });
    const ra = await app.run(a, 'currentWindow', 'from A');
    const rb = await app.run(b, 'currentWindow', 'from B');
    expect(ra).toMatchObject({ id: a.id, title: 'from A', size: [640, 480], bounds: { x: 0, y: 0, width: 640, height: 480 } });
    expect(rb).toMatchObject({ id: b.id, title: 'from B' });
    expect(a.getTitle()).toBe('from A');
    expect(b.getTitle()).toBe('from B');
    expect(ra.webContents).toBeUndefined();
  });

  it('remote.getCurrentWebContents is the sender\'s own webContents', async () => {
    app = electronApp();
    const win = await app.open({ url: 'app://main.html' });
    expect(await app.run(win, 'currentWebContents')).toEqual({ id: win.webContents.id, url: 'app://main.html', zoom: 1 });
  });

  it('the async client reaches the current window too', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'asyncCurrent')).toBe(win.id);
  });

  it('answers a sync call after awaits in main (event.returnValue set late)', async () => {
    app = electronApp();
    const win = await app.open();
    // The sync get() queues behind an async bump() on a serial mailbox, so main answers it
    // only after bump's awaits: the page stayed blocked until returnValue was set.
    expect(await app.run(win, 'serial')).toEqual({ value: 1, timerRanDuringCall: false });
  });

  it('fails a sync call with E_TIMEOUT when main cannot answer within maxSyncMs', async () => {
    app = electronApp({ maxSyncMs: 100 });
    const win = await app.open();
    await app.run(win, 'startHang');
    expect(await app.run(win, 'syncTimeout')).toMatchObject({ threw: true, code: 'E_TIMEOUT' });
    expect(app.electron.stats().syncWaiting).toBe(0);
  });

  it('fails later calls with E_CLOSED after main closed the session', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'require', 1, 1)).toBe(2);
    app.broker.close();
    expect(await app.run(win, 'afterMainClosed')).toMatchObject({ threw: true, code: 'E_CLOSED' });
  });

  it('ends the session when the page closes its client', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    expect(app.broker.stats().sessions).toBe(1);
    await app.run(win, 'closeClient');
    await waitFor(() => app!.broker.stats().sessions === 0);
    expect(app.broker.stats()).toMatchObject({ sessions: 0, refs: 0, listeners: 0, subscriptions: 0 });
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  const { until } = await import('../support/workers.js');
  await until(cond, 5000);
}
