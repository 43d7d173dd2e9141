/**
 * An Electron app in the in-repo stand-in for the compat specs: a broker from
 * `createElectronBroker` over the stand-in's `ipcMain`, and windows whose pages are the compat
 * probe page (specs/fixtures/compat-electron-page.renderer.ts).
 */
import type { Worker } from 'node:worker_threads';
import { createElectronBroker, type ElectronBrokerOptions } from 'remora/electron/main';
import { StandinBrowserWindow, StandinIpcMain } from '../../support/electron-standin/main.js';
import { type ProbeRenderer, probesOf } from './probe.js';

/** A window and the probes of its current page. */
export interface ProbeWindow extends ProbeRenderer {
  readonly win: StandinBrowserWindow;
}

/** Build an app; `setup` exposes what main offers before any window opens. */
export function compatElectronApp(options: Partial<ElectronBrokerOptions> = {}) {
  const ipcMain = new StandinIpcMain();
  const { broker, electron } = createElectronBroker({ ipcMain, BrowserWindow: StandinBrowserWindow, ...options });
  const windows: StandinBrowserWindow[] = [];

  /** Open a window with the probe page and wait until it takes probes. */
  async function open(): Promise<ProbeWindow> {
    const win = new StandinBrowserWindow(ipcMain, { page: 'compat-electron-page' });
    windows.push(win);
    await win.webContents.whenLoaded();
    const worker = win.webContents.worker as Worker;
    // The page answers probes from before it reported loaded, so it is ready now.
    return { win, ...probesOf(worker) };
  }

  /** Close every window and the broker. */
  async function shutdown(): Promise<void> {
    const workers = windows.map((w) => w.webContents.worker).filter((w): w is Worker => !!w);
    for (const w of windows) w.destroy();
    electron.detach();
    broker.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  return { ipcMain, broker, electron, open, shutdown };
}
