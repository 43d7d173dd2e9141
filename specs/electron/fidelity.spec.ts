/**
 * The adapter against a stand-in as strict as Electron (electron issue 23): each case is one
 * way real Electron differs from a lenient fake, and failed before its fix.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { IpcMainTransport } from '../../src/electron/ipc-main-transport.js';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';
import { until } from '../support/workers.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** `p`, or 'still waiting' after `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> => Promise.race([p, sleep(ms).then(() => 'still waiting' as const)]);
const zeros = (stats: object): Record<string, number> => Object.fromEntries(Object.keys(stats).map((k) => [k, 0]));

describe('Electron fidelity: destroyed objects', () => {
  it('closes a window with no exception in main although the webContents throws after destroy', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    await app.run(win, 'currentWebContents');
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    const laterListener = once(win.webContents, 'destroyed');
    try {
      win.close();
      await laterListener;
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toEqual([]);
    expect(() => win.webContents).toThrow('Object has been destroyed');
    expect(app.broker.stats()).toEqual(zeros(app.broker.stats()));
    expect(app.electron.stats()).toEqual({ pages: 0, webContents: 0, windowActors: 0, webContentsActors: 0, syncWaiting: 0 });
  });
});

describe('Electron fidelity: sync calls and the page lifecycle', () => {
  it('lets main reload a page blocked in a sync call without waiting for the call\'s deadline', async () => {
    app = electronApp({ maxSyncMs: 20_000 });
    const win = await app.open();
    await app.run(win, 'startHang');
    const call = app.run(win, 'syncTimeout');
    await until(() => app!.electron.stats().syncWaiting === 1);
    const t0 = Date.now();
    win.webContents.reload();
    expect(await within(win.webContents.whenLoaded(), 3000)).not.toBe('still waiting');
    expect(Date.now() - t0).toBeLessThan(3000);
    void call.catch(() => undefined);
    expect(await app.run(win, 'require', 1, 2)).toBe(3);
  });

  it('lets main close a window whose page is blocked in a sync call without waiting for the call\'s deadline', async () => {
    app = electronApp({ maxSyncMs: 20_000 });
    const win = await app.open();
    await app.run(win, 'startHang');
    const call = app.run(win, 'syncTimeout');
    await until(() => app!.electron.stats().syncWaiting === 1);
    const closed = once(win, 'closed');
    win.close();
    expect(await within(closed, 3000)).not.toBe('still waiting');
    void call.catch(() => undefined);
    expect(app.electron.stats()).toMatchObject({ pages: 0, syncWaiting: 0 });
  });

  it('answers a blocked sync call with E_CLOSED when the page turns unresponsive, and the page keeps working', async () => {
    app = electronApp({ maxSyncMs: 20_000 });
    const win = await app.open();
    await app.run(win, 'startHang');
    const call = app.run(win, 'syncTimeout');
    await until(() => app!.electron.stats().syncWaiting === 1);
    win.webContents.emit('unresponsive'); // Chromium's hang monitor, as Electron forwards it
    expect(await within(call, 3000)).toMatchObject({ threw: true, code: 'E_CLOSED' });
    expect(app.electron.stats().syncWaiting).toBe(0);
    expect(await app.run(win, 'require', 1, 2)).toBe(3);
  });

  it('fails a sync call with E_CLOSED when main no longer listens (reply was never sent)', async () => {
    app = electronApp();
    const win = await app.open();
    expect(await app.run(win, 'require', 1, 1)).toBe(2);
    app.electron.detach();
    expect(await app.run(win, 'afterMainClosed')).toMatchObject({ threw: true, code: 'E_CLOSED' });
  });

  it('answers a sync call whose reply cannot be cloned with E_BAD_VALUE instead of leaving the page blocked', async () => {
    // remora's codec only makes cloneable frames today; this stands for any reply that is not
    // (a codec change, a custom value host): the transport gets a reply carrying a function.
    const replySync = IpcMainTransport.prototype.replySync;
    IpcMainTransport.prototype.replySync = function (this: IpcMainTransport, m: unknown) {
      const f = m as { t?: string; v?: unknown };
      return replySync.call(this, f.t === 'ok' && f.v === 4 ? { ...f, v: () => 4 } : m);
    };
    try {
      app = electronApp();
      const win = await app.open();
      expect(await within(app.run(win, 'rejects', 2, 2), 5000)).toMatchObject({ threw: true, code: 'E_BAD_VALUE' });
      expect(app.electron.stats().syncWaiting).toBe(0);
      expect(await app.run(win, 'require', 2, 3)).toBe(5);
    } finally {
      IpcMainTransport.prototype.replySync = replySync;
    }
  });
});

describe('Electron fidelity: frames and error pages', () => {
  it('ends a page\'s session when its navigation fails and an error page commits (did-fail-load only)', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'busy');
    const events: string[] = [];
    for (const e of ['did-navigate', 'did-frame-navigate', 'did-fail-load']) win.webContents.on(e, () => events.push(e));
    await expect(win.webContents.loadURL('https://unreachable.invalid/')).rejects.toThrow('ERR_NAME_NOT_RESOLVED');
    expect(events).toEqual(['did-fail-load']);
    expect(app.broker.stats()).toEqual(zeros(app.broker.stats()));
    expect(app.electron.stats()).toMatchObject({ pages: 0 });
  });

  it('ends an iframe\'s session when it navigates cross-site (did-frame-navigate reports the new frame\'s ids)', async () => {
    app = electronApp();
    const win = await app.open({ nodeIntegrationInSubFrames: true, url: 'app://host.html' });
    const frame = await win.webContents.attachFrame('app://host.html/frame');
    const oldIds = { ...win.webContents.frameHost(frame)! };
    await app.runIn(win.webContents.frameWorker(frame)!, 'busy');
    const [s] = app.electron.sessionsOf(win.webContents.id);
    expect(s!.info).toMatchObject({ frameId: oldIds.routingId, processId: oldIds.processId });
    await win.webContents.navigateFrame(frame, 'https://elsewhere.example/');
    expect(win.webContents.frameHost(frame)!.processId).not.toBe(oldIds.processId);
    expect(s!.closed).toBe(true);
    expect(app.broker.stats()).toEqual(zeros(app.broker.stats()));
  });

  it('ends an iframe\'s session when main finds its frame gone (sendToFrame returns false)', async () => {
    app = electronApp();
    const win = await app.open({ nodeIntegrationInSubFrames: true });
    const frame = await win.webContents.attachFrame('app://index.html/frame');
    await app.runIn(win.webContents.frameWorker(frame)!, 'windowEvents');
    await until(() => win.listenerCount('resize') === 1);
    await win.webContents.detachFrame(frame); // Electron emits nothing for a removed iframe
    win.setSize(500, 400); // main pushes the event to the frame: sendToFrame returns false
    await until(() => app!.broker.stats().sessions === 0);
    expect(app.broker.stats()).toEqual(zeros(app.broker.stats()));
    expect(win.listenerCount('resize')).toBe(0);
  });
});

describe('Electron fidelity: sender identity', () => {
  it('gives policies the sending frame\'s current url and origin per message (senderFrame)', async () => {
    const seen: unknown[] = [];
    app = electronApp({
      policy: (req) => {
        const frame = (req.session.info.senderFrame as (() => { url: string; origin: string } | null) | undefined)?.();
        seen.push(frame && { url: frame.url, origin: frame.origin });
        return !frame?.url.includes('/admin');
      },
    });
    const win = await app.open({ url: 'app://shop/index.html' });
    expect(await app.run(win, 'require', 1, 1)).toBe(2);
    win.webContents.navigateInPage('app://shop/admin');
    await expect(app.run(win, 'require', 1, 1)).rejects.toMatchObject({ code: 'E_DENIED' });
    expect(seen).toEqual([{ url: 'app://shop/index.html', origin: 'app://shop' }, { url: 'app://shop/admin', origin: 'app://shop' }]);
    expect(app.electron.sessionsOf(win.webContents.id)[0]!.info).toMatchObject({ url: 'app://shop/index.html', origin: 'app://shop' });
  });

  it('opens no session for a webContents the app does not serve; its calls fail with E_DENIED', async () => {
    const served = new Set<number>();
    app = electronApp({ serve: ({ webContents }) => served.has(webContents.id) });
    const ours = await app.open();
    served.add(ours.webContents.id);
    const stranger = await app.open({ url: 'https://remote.example/' });
    expect(await app.run(ours, 'require', 1, 1)).toBe(2);
    await expect(app.run(stranger, 'require', 1, 1)).rejects.toMatchObject({ code: 'E_DENIED' });
    expect(app.electron.sessionsOf(stranger.webContents.id)).toHaveLength(0);
    expect(app.broker.stats().sessions).toBe(1);
  });

  it('fails the async calls of a page main does not serve instead of leaving them pending', async () => {
    app = electronApp({ serve: () => false });
    const stranger = await app.open({ url: 'https://remote.example/' });
    expect(await within(app.run(stranger, 'asyncAdd', 1, 2).catch((e) => ({ code: e.code })), 3000)).toMatchObject({ code: 'E_CLOSED' });
    expect(app.broker.stats().sessions).toBe(0);
  });
});

describe('Electron fidelity: values through contextBridge and IPC', () => {
  it('round-trips typed arrays, Date, Map, Set, BigInt, cycles and errors with custom properties', async () => {
    app = electronApp();
    const win = await app.open();
    const shape = { u8: [1, 2, 3], f64: [0.5], date: 86_400_000, map: [['k', 1], [2, 'v']], set: [1, 'a'], big: String(2n ** 70n), cycle: true };
    expect(await app.run(win, 'roundTrip')).toEqual({
      sync: shape,
      async: shape,
      syncError: { code: 'E_CUSTOM', name: 'RangeError' },
      asyncError: { name: 'RangeError', code: 'E_CUSTOM', detail: { n: 1, at: true } },
    });
  });
});
