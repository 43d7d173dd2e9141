import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';
import { until } from '../support/workers.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

/** Every table count zero (whatever counters the broker reports). */
const zeros = (stats: object): Record<string, number> => Object.fromEntries(Object.keys(stats).map((k) => [k, 0]));
function expectEmpty(stats: object): void {
  expect(stats).toEqual(zeros(stats));
  expect(Object.keys(stats)).toEqual(expect.arrayContaining(['sessions', 'refs', 'pending', 'callbacks', 'listeners', 'subscriptions']));
}

describe('remora/electron/main: one session per page load', () => {
  it('opens a session per webContents with its identity in session.info', async () => {
    app = electronApp();
    const a = await app.open({ url: 'app://a.html' });
    const b = await app.open({ url: 'app://b.html' });
    await app.run(a, 'require', 1, 2);
    await app.run(b, 'require', 3, 4);
    const infos = [...app.broker.sessions].map((s) => s.info).sort((x, y) => (x.webContentsId as number) - (y.webContentsId as number));
    expect(infos).toMatchObject([
      { webContentsId: a.webContents.id, generation: 1, url: 'app://a.html', frameId: a.webContents.mainFrameHost.routingId, processId: a.webContents.mainFrameHost.processId },
      { webContentsId: b.webContents.id, generation: 1, url: 'app://b.html', frameId: b.webContents.mainFrameHost.routingId, processId: b.webContents.mainFrameHost.processId },
    ]);
    expect(app.electron.sessionsOf(a.webContents.id)).toHaveLength(1);
  });

  it('a reload ends the page\'s session and the next load gets a new generation', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    const first = app.electron.sessionsOf(win.webContents.id)[0]!;
    await app.reload(win);
    expect(first.closed).toBe(true);
    expect(first.closeReason?.kind).toBe('navigate');
    expectEmpty(app.broker.stats());
    await app.run(win, 'busy');
    const second = app.electron.sessionsOf(win.webContents.id)[0]!;
    expect(second).not.toBe(first);
    expect(second.info.generation).toBe(2);
  });

  it('removes the seed\'s close listener when the page reloads (it never fires into a dead page)', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'require', 1, 1);
    const adapters = win.listenerCount('close'); // the adapter's own (it interrupts sync calls on close)
    expect(await app.run(win, 'closeListener')).toBe('listening');
    expect(win.listenerCount('close')).toBe(adapters + 1);
    await app.reload(win);
    expect(win.listenerCount('close')).toBe(adapters);
    expectEmpty(app.broker.stats());
    // Electron's remote would now call a dead page's callback (and throw in main) on close.
    const closed = once(win, 'closed');
    expect(() => win.close()).not.toThrow();
    await closed;
  });

  it('50 reloads each bring main\'s tables and listener counts back to baseline', async () => {
    app = electronApp();
    const win = await app.open();
    // Baseline: after one busy page went away (the adapter's own per-window and per-webContents listeners exist from then on).
    await app.run(win, 'busy');
    await app.reload(win);
    const baseline = app.listenerSnapshot(win);
    expectEmpty(app.broker.stats());
    for (let i = 0; i < 50; i++) {
      expect(await app.run(win, 'busy')).toBe(2);
      const busy = app.broker.stats();
      expect(busy.sessions).toBe(1);
      expect(busy.refs).toBeGreaterThan(0);
      expect(busy.listeners).toBe(3);
      expect(busy.subscriptions).toBe(1);
      expect(app.listenerSnapshot(win)).not.toEqual(baseline);
      await app.reload(win);
      expectEmpty(app.broker.stats());
      expect(app.listenerSnapshot(win)).toEqual(baseline);
      expect(app.electron.stats()).toMatchObject({ pages: 0, syncWaiting: 0, windowActors: 1 });
    }
    expect(win.webContents.loads).toBe(52);
  }, 300_000);

  it('a crashed renderer\'s session is gone, with everything it held', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    await app.reload(win);
    const baseline = app.listenerSnapshot(win);
    await app.run(win, 'busy');
    const session = app.electron.sessionsOf(win.webContents.id)[0]!;
    await app.crash(win);
    expect(session.closed).toBe(true);
    expect(session.closeReason).toEqual({ kind: 'crashed', detail: 'crashed' });
    expectEmpty(app.broker.stats());
    expect(app.listenerSnapshot(win)).toEqual(baseline);
    expect(app.electron.sessionsOf(win.webContents.id)).toHaveLength(0);
    // Electron keeps the webContents after a crash; a reload brings a working page back.
    await app.reload(win);
    expect(await app.run(win, 'require', 2, 2)).toBe(4);
  });

  it('a navigation (loadURL) ends the session; the new page connects with its URL', async () => {
    app = electronApp();
    const win = await app.open({ url: 'app://one.html' });
    await app.run(win, 'busy');
    await win.webContents.loadURL('app://two.html');
    expectEmpty(app.broker.stats());
    await app.run(win, 'require', 1, 1);
    expect(app.electron.sessionsOf(win.webContents.id)[0]!.info).toMatchObject({ url: 'app://two.html', generation: 2 });
  });

  it('closing the window ends the session and drops the window and webContents actors', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    await app.run(win, 'currentWebContents');
    expect(app.electron.stats()).toMatchObject({ pages: 1, webContents: 1, windowActors: 1, webContentsActors: 1 });
    const worker = win.webContents.worker!;
    win.close();
    await until(() => app!.broker.stats().sessions === 0);
    expectEmpty(app.broker.stats());
    expect(app.electron.stats()).toMatchObject({ pages: 0, webContents: 0, windowActors: 0, webContentsActors: 0 });
    expect(win.listenerCount('close') + win.listenerCount('closed') + win.listenerCount('focus') + win.listenerCount('resize')).toBe(0);
    await worker.terminate();
  });

  it('detach() stops listening on ipcMain and ends every session', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    app.electron.detach();
    expect(app.ipcMain.listenerCount('remora:frame') + app.ipcMain.listenerCount('remora:sync')).toBe(0);
    expectEmpty(app.broker.stats());
    expect(win.webContents.listenerCount('did-navigate')).toBe(0);
  });
});
