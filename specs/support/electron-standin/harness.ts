/**
 * Spec harness: an Electron app in the stand-in. Main is this thread (a broker from
 * `createElectronBroker` over the stand-in `ipcMain`); each window's page runs
 * `specs/fixtures/electron-page.renderer.ts` in a worker thread and takes commands.
 */
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { createElectronBroker, type ElectronBrokerOptions, processInfo } from '../../../src/electron/main.js';
import { type ElectronApi, makeElectronApi, makeLeaky, SerialService } from '../../fixtures/electron-shared.js';
import { nextMessage } from '../workers.js';
import { StandinBrowserWindow, StandinIpcMain, type StandinWindowOptions } from './main.js';

/** Build an app: broker + adapter + what main exposes. */
export function electronApp(options: Partial<ElectronBrokerOptions> = {}) {
  const ipcMain = new StandinIpcMain();
  const { broker, electron } = createElectronBroker({ ipcMain, BrowserWindow: StandinBrowserWindow, ...options });
  const apiActor = broker.exposeModule('api', makeElectronApi);
  broker.exposeModule('leaky', makeLeaky);
  broker.exposeModule('serial', () => new SerialService(), { mailbox: { mode: 'serial' } });
  broker.exposeGlobal('config', { theme: 'dark', sizes: [1, 2, 3] });
  broker.exposeGlobal('process', processInfo());
  const windows: StandinBrowserWindow[] = [];

  /** Open a window and wait for its page to load. */
  async function open(opts: Partial<StandinWindowOptions> = {}): Promise<StandinBrowserWindow> {
    const win = new StandinBrowserWindow(ipcMain, { page: 'electron-page', ...opts });
    windows.push(win);
    await win.webContents.whenLoaded();
    return win;
  }

  /** Run a page command in `win`'s current page; resolves with its result, rejects with its error. */
  async function run<T = any>(win: StandinBrowserWindow, cmd: string, ...args: unknown[]): Promise<T> {
    return runIn<T>(win.webContents.worker as Worker, cmd, ...args);
  }

  /** Run a page command in the page of `w` (a main frame's or an iframe's worker). */
  async function runIn<T = any>(w: Worker, cmd: string, ...args: unknown[]): Promise<T> {
    const reply = nextMessage(w, (m) => m.cmd === cmd && 'ok' in m);
    w.postMessage({ cmd, args });
    const r = await reply;
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.result as T;
  }

  /** Next `{ event }` message the page of `win` posts. */
  function nextEvent<T = any>(win: StandinBrowserWindow, event: string): Promise<T> {
    return nextMessage(win.webContents.worker as Worker, (m) => m.event === event);
  }

  /** Reload `win` and wait for the new page. */
  async function reload(win: StandinBrowserWindow): Promise<void> {
    win.webContents.reload();
    await win.webContents.whenLoaded();
  }

  /** Crash `win`'s renderer and wait for `render-process-gone`. */
  async function crash(win: StandinBrowserWindow): Promise<void> {
    const gone = once(win.webContents, 'render-process-gone');
    win.webContents.forcefullyCrashRenderer();
    await gone;
  }

  /** Main's `api` module instance (exists after a page first required it). */
  const api = (): ElectronApi => apiActor.instance as ElectronApi;

  /** Every listener main holds on `win`, its webContents and the api's emitter, by event. */
  function listenerSnapshot(win: StandinBrowserWindow): Record<string, number> {
    const out: Record<string, number> = {};
    const count = (prefix: string, e: { eventNames(): (string | symbol)[]; listenerCount(n: string | symbol): number } | undefined) => {
      for (const n of e?.eventNames() ?? []) out[`${prefix}:${String(n)}`] = e!.listenerCount(n);
    };
    count('window', win);
    count('webContents', win.webContents);
    count('api.emitter', apiActor.instance ? api().emitter : undefined);
    return out;
  }

  /** Close every window and the broker. */
  async function shutdown(): Promise<void> {
    const workers = windows.map((w) => (w.isDestroyed() ? undefined : w.webContents.worker)).filter((w): w is Worker => !!w);
    for (const w of windows) w.destroy();
    electron.detach();
    broker.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  return { ipcMain, broker, electron, open, run, runIn, nextEvent, reload, crash, shutdown, api, listenerSnapshot };
}

export type ElectronApp = ReturnType<typeof electronApp>;
