/**
 * The example app's main process: one window, remora's broker wired to Electron, and what
 * the renderer may reach (deny by default: only "notes", "config" and a process snapshot).
 *
 * Build and run where Electron runs: `npm install && npm start` in this folder.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { join } from 'node:path';
import { createElectronBroker, processInfo } from 'remora/electron/main';
import { Notes } from './notes.js';

/** webContents ids of the windows this app created (remote content would not be in here). */
const trusted = new Set<number>();

const { broker } = createElectronBroker({
  ipcMain,
  BrowserWindow,
  // Per-window policy: only windows we created with the "trusted" flag may require modules.
  policy: (req) => req.kind !== 'require' || trusted.has(req.session.info.webContentsId as number),
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
  trusted.add(win.webContents.id);
  win.webContents.once('destroyed', () => trusted.delete(win.webContents.id));
  await win.loadFile(join(app.getAppPath(), 'index.html'));
}

app.whenReady().then(createWindow, (e: unknown) => console.error(e));
app.on('window-all-closed', () => {
  broker.close();
  app.quit();
});
