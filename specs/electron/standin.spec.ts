/**
 * The Electron stand-in itself: the documented event order the adapter relies on. (Its typing
 * against Electron's is checked at compile time in specs/support/electron-standin/main.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StandinBrowserWindow, StandinIpcMain } from '../support/electron-standin/main.js';

const windows: StandinBrowserWindow[] = [];
afterEach(async () => {
  const workers = windows.map((w) => (w.isDestroyed() ? undefined : w.webContents.worker)).filter((w) => w !== undefined);
  for (const w of windows.splice(0)) w.destroy();
  await Promise.all(workers.map((w) => w.terminate()));
});

function record(target: { on(e: string, l: (...a: any[]) => void): unknown }, events: string[], log: string[]): void {
  for (const e of events) target.on(e, () => log.push(e));
}

const PAGE_EVENTS = ['did-start-navigation', 'did-frame-navigate', 'did-navigate', 'dom-ready', 'did-finish-load', 'render-process-gone', 'destroyed'];

describe('Electron stand-in', () => {
  it('reload: did-start-navigation, then the new document commits (did-navigate), then it loads', async () => {
    const win = new StandinBrowserWindow(new StandinIpcMain(), { page: 'electron-page' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const oldWorker = win.webContents.worker!;
    const log: string[] = [];
    record(win.webContents, PAGE_EVENTS, log);
    let oldExitedBeforeCommit = false;
    win.webContents.once('did-navigate', () => (oldExitedBeforeCommit = oldWorker.threadId === -1));
    win.webContents.reload();
    await win.webContents.whenLoaded();
    expect(log).toEqual(['did-start-navigation', 'did-frame-navigate', 'did-navigate', 'dom-ready', 'did-finish-load']);
    expect(oldExitedBeforeCommit).toBe(true);
    expect(win.webContents.worker).not.toBe(oldWorker);
  });

  it('crash: render-process-gone with Electron\'s details; the webContents survives', async () => {
    const win = new StandinBrowserWindow(new StandinIpcMain(), { page: 'electron-page' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const gone = new Promise<unknown[]>((r) => win.webContents.once('render-process-gone', (...a: unknown[]) => r(a)));
    win.webContents.forcefullyCrashRenderer();
    const [, details] = await gone;
    expect(details).toMatchObject({ reason: 'crashed' });
    expect(win.webContents.isDestroyed()).toBe(false);
  });

  it('close: preventable close, then closed, then the webContents is destroyed', async () => {
    const win = new StandinBrowserWindow(new StandinIpcMain(), { page: 'electron-page' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const log: string[] = [];
    const veto = (e: { preventDefault(): void }) => e.preventDefault();
    win.on('close', veto);
    win.close();
    expect(win.isDestroyed()).toBe(false);
    win.off('close', veto);
    record(win, ['close', 'closed'], log);
    record(win.webContents, ['destroyed'], log);
    const id = win.id;
    win.close();
    expect(log).toEqual(['close', 'closed', 'destroyed']);
    expect(StandinBrowserWindow.fromId(id)).toBeNull();
  });

  it('a same-site reload keeps the main frame\'s process id; a cross-site navigation reports new ids', async () => {
    const win = new StandinBrowserWindow(new StandinIpcMain(), { page: 'electron-page', url: 'app://one.html' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const first = { ...win.webContents.mainFrameHost };
    win.webContents.reload();
    await win.webContents.whenLoaded();
    expect(win.webContents.mainFrameHost.processId).toBe(first.processId);
    const navigated = new Promise<unknown[]>((r) => win.webContents.once('did-frame-navigate', (...a: unknown[]) => r(a)));
    await win.webContents.loadURL('https://two.example/');
    const [, , , , isMainFrame, processId, routingId] = await navigated;
    expect(isMainFrame).toBe(true);
    expect(processId).not.toBe(first.processId);
    expect(processId).toBe(win.webContents.mainFrameHost.processId);
    expect(routingId).toBe(win.webContents.mainFrameHost.routingId);
    expect(win.webContents.sendToFrame([first.processId, first.routingId], 'x')).toBe(false);
  });

  it('after destroy every native member throws "Object has been destroyed" and isDestroyed() does not', async () => {
    const win = new StandinBrowserWindow(new StandinIpcMain(), { page: 'electron-page' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const wc = win.webContents;
    let idInDestroyed: unknown;
    wc.on('destroyed', () => {
      try {
        idInDestroyed = wc.id;
      } catch (e) {
        idInDestroyed = (e as Error).message;
      }
    });
    win.destroy();
    expect(idInDestroyed).toBe('Object has been destroyed');
    expect(wc.isDestroyed()).toBe(true);
    expect(() => wc.getURL()).toThrow('Object has been destroyed');
    expect(() => win.id).toThrow('Object has been destroyed');
    expect(win.isDestroyed()).toBe(true);
  });
});
