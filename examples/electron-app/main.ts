/**
 * The example app's main process: one window, remora's broker wired to Electron, and what
 * the renderer may reach (deny by default: only "notes", "config" and a process snapshot).
 *
 * Build and run where Electron runs: see README.md (it installs remora from the packed tarball).
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { join } from 'node:path';
import { createElectronBroker, processInfo } from 'remora/electron/main';
import { Notes } from './notes.js';

/** webContents ids of the windows this app created (a remote page or a popup would not be in here). */
const ours = new Set<number>();
/** Where our own pages come from. */
const APP_ORIGIN = 'file://';

const { broker } = createElectronBroker({
  ipcMain,
  BrowserWindow,
  // Only pages this app meant to serve get a session at all: our windows, loaded from our files.
  serve: ({ webContents, url }) => ours.has(webContents.id) && url.startsWith(APP_ORIGIN),
  // And per message: the frame that sends must still be one of ours (Electron's checklist: validate the sender).
  policy: (req) => {
    const frame = (req.session.info.senderFrame as (() => { url: string } | null) | undefined)?.();
    return frame !== null && frame !== undefined && frame.url.startsWith(APP_ORIGIN);
  },
});

broker.exposeModule('notes', () => new Notes(), { mailbox: { mode: 'serial' } });
broker.exposeGlobal('config', { appName: 'remora notes', maxLength: 500 });
broker.exposeGlobal('process', processInfo());

// Watch what happens: sessions open and close with every page load.
broker.inspect$.subscribe((e) => {
  if (e.kind === 'session-opened' || e.kind === 'session-closed') console.log(`[remora] ${e.kind} ${e.session ?? ''} ${e.detail ?? ''}`);
});

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 900,
    height: 640,
    webPreferences: {
      preload: join(app.getAppPath(), 'dist', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // Read the id now: once destroyed, every member of a webContents but isDestroyed() throws.
  const id = win.webContents.id;
  ours.add(id);
  win.webContents.once('destroyed', () => ours.delete(id));
  await win.loadFile(join(app.getAppPath(), 'index.html'));
}

app.whenReady().then(createWindow, (e: unknown) => console.error(e));
app.on('window-all-closed', () => {
  broker.close();
  app.quit();
});
