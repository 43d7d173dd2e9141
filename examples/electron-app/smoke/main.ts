/**
 * The smoke run for real Electron (Electron 30 and 41, sandbox and context isolation on, under
 * Xvfb: `npm run smoke`). It checks against Electron itself what the in-repo stand-in models
 * (docs/electron.md, "What was checked where"), prints one line per check and exits non-zero
 * if any failed. It has never run on the machines remora is developed on (no Electron binary
 * there).
 */
import { app, BrowserWindow, ipcMain, type WebContents } from 'electron';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createElectronBroker, processInfo } from 'remora/electron/main';
import { Notes } from '../notes.js';
import { SmokeApi } from './api.js';

/** examples/electron-app (this file is bundled to dist/smoke-main.cjs). */
const root = join(__dirname, '..');
const mainErrors: string[] = [];
process.on('uncaughtException', (e) => mainErrors.push(String(e?.stack ?? e)));

const { broker, electron } = createElectronBroker({ ipcMain, BrowserWindow, maxSyncMs: 30_000 });
broker.exposeModule('api', () => new SmokeApi());
broker.exposeModule('notes', () => new Notes(), { mailbox: { mode: 'serial' } });
broker.exposeGlobal('config', { appName: 'remora notes', maxLength: 500 });
broker.exposeGlobal('process', processInfo());

/** Electron's own rule for a non-cloneable returnValue: does the setter spend the reply? */
let returnValueFacts: unknown;
ipcMain.on('smoke:uncloneable', (e) => {
  const facts: Record<string, string> = {};
  try {
    e.returnValue = () => 1;
    facts.first = 'set';
  } catch (err) {
    facts.first = (err as Error).message;
  }
  try {
    e.returnValue = 'second';
    facts.second = 'set';
  } catch (err) {
    facts.second = (err as Error).message;
  }
  returnValueFacts = facts;
});

function serve(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = path.startsWith('/dist/') ? join(root, path) : join(root, 'smoke', 'page.html');
    try {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const results: Array<{ name: string; ok: boolean; detail?: unknown }> = [];
async function check(name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    results.push({ name, ok: true, detail: await fn() });
  } catch (e) {
    results.push({ name, ok: false, detail: String((e as Error)?.stack ?? e) });
  }
  console.log(`${results.at(-1)!.ok ? 'PASS' : 'FAIL'} ${name}${results.at(-1)!.ok ? '' : `\n  ${String(results.at(-1)!.detail)}`}`);
}
function assert(cond: unknown, what: string): void {
  if (!cond) throw new Error(`expected ${what}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what} took over ${ms} ms`)))]);

function window(preload = 'smoke-preload.cjs'): BrowserWindow {
  return new BrowserWindow({
    show: false,
    webPreferences: { preload: join(root, 'dist', preload), sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: true },
  });
}
const run = <T = any>(wc: WebContents | Electron.WebFrameMain, name: string, ...args: unknown[]): Promise<T> =>
  wc.executeJavaScript(`smoke.run(${JSON.stringify(name)}, ...${JSON.stringify(args)})`);
const statsAreZero = (): boolean => Object.values(broker.stats()).every((n) => n === 0) && electron.stats().pages === 0 && electron.stats().syncWaiting === 0;

async function main(): Promise<void> {
  await app.whenReady();
  const [a, b] = [await serve(), await serve()];
  const A = `http://127.0.0.1:${(a.address() as AddressInfo).port}`;
  const B = `http://localhost:${(b.address() as AddressInfo).port}`;

  await check('the example end to end (notes, window title, process snapshot)', async () => {
    const win = window('preload.cjs');
    await win.loadFile(join(root, 'index.html'));
    await win.webContents.executeJavaScript(`document.getElementById('text').value = 'hello'; document.getElementById('form').requestSubmit(); document.getElementById('count').textContent`);
    const count = await win.webContents.executeJavaScript(`document.getElementById('count').textContent`);
    assert(count === '1', `one note, got ${count}`);
    assert(win.getTitle().includes('(1)'), `the title to count notes, got ${win.getTitle()}`);
    win.close();
    await once(win, 'closed');
  });

  await check('closing windows throws nothing in main and brings stats() back to zero', async () => {
    for (let i = 0; i < 3; i++) {
      const win = window();
      await win.loadURL(`${A}/page.html`);
      await run(win.webContents, 'busy');
      win.close();
      await once(win, 'closed');
    }
    await sleep(100);
    assert(mainErrors.length === 0, `no main exception, got ${mainErrors.join('\n')}`);
    assert(statsAreZero(), `zero stats, got ${JSON.stringify({ broker: broker.stats(), electron: electron.stats() })}`);
  });

  const win = window();
  await win.loadURL(`${A}/page.html`);
  const wc = win.webContents;

  await check('50 reloads each end the page\'s session; the tables come back to zero', async () => {
    for (let i = 0; i < 50; i++) {
      assert((await run(wc, 'busy')) === 2, 'busy page');
      wc.reload();
      await once(wc, 'did-finish-load');
    }
    assert(broker.stats().sessions === 0, `no session after the last reload, got ${broker.stats().sessions}`);
  });

  await check('same-origin and cross-origin loadURL: a new session with the right origin each time', async () => {
    await wc.loadURL(`${A}/page.html?same`);
    assert((await run(wc, 'add', 1, 2)) === 3, 'a working page');
    assert(electron.sessionsOf(wc.id)[0]?.info.origin === A, `origin ${A}`);
    await wc.loadURL(`${B}/page.html`);
    assert((await run(wc, 'add', 1, 2)) === 3, 'a working page');
    const [s] = electron.sessionsOf(wc.id);
    assert(electron.sessionsOf(wc.id).length === 1 && s?.info.origin === B, `one session, origin ${B}`);
  });

  await check('a failing URL commits an error page and ends the session', async () => {
    await run(wc, 'busy');
    await wc.loadURL('http://unreachable.invalid/').then(() => assert(false, 'a rejection'), () => undefined);
    await sleep(100);
    assert(statsAreZero(), `zero stats, got ${JSON.stringify(broker.stats())}`);
    await wc.loadURL(`${A}/page.html`);
  });

  await check('a 5 s sync call, then reload from main: the reload does not wait for it', async () => {
    void run(wc, 'syncWait', 5000).catch(() => undefined);
    await sleep(300);
    const t0 = Date.now();
    wc.reload();
    await within(once(wc, 'did-finish-load'), 4000, 'the reload');
    return { reloadMs: Date.now() - t0 };
  });

  await check('a 5 s sync call, then close from main: closed well before 5 s, no main exception', async () => {
    const w2 = window();
    await w2.loadURL(`${A}/page.html`);
    void run(w2.webContents, 'syncWait', 5000).catch(() => undefined);
    await sleep(300);
    const t0 = Date.now();
    w2.close();
    await within(once(w2, 'closed'), 4000, 'the close');
    assert(mainErrors.length === 0, 'no main exception');
    return { closeMs: Date.now() - t0 };
  });

  await check('async sends before a sync call arrive before it', async () => {
    assert((await run(wc, 'ordering')) === 100, 'the sync read to see all 100 async writes');
  });

  await check('a renderer crash during a sync call ends the session; a reload recovers', async () => {
    void run(wc, 'syncWait', 5000).catch(() => undefined);
    await sleep(300);
    const gone = once(wc, 'render-process-gone');
    wc.forcefullyCrashRenderer();
    await gone;
    await sleep(100);
    assert(statsAreZero(), `zero stats, got ${JSON.stringify(broker.stats())}`);
    wc.reload();
    await once(wc, 'did-finish-load');
    assert((await run(wc, 'add', 2, 2)) === 4, 'a working page');
  });

  await check('iframes with nodeIntegrationInSubFrames: own session; a cross-site navigation ends it', async () => {
    await wc.executeJavaScript(`new Promise((r) => { const f = document.createElement('iframe'); f.onload = r; f.src = ${JSON.stringify(`${B}/page.html?frame`)}; document.body.append(f); })`);
    const frame = wc.mainFrame.frames[0]!;
    assert((await run(frame, 'busy')) === 2, 'a working iframe');
    const before = electron.sessionsOf(wc.id).find((s) => s.info.frameId === frame.routingId);
    assert(before, 'a session for the iframe');
    await wc.executeJavaScript(`new Promise((r) => { const f = document.querySelector('iframe'); f.onload = r; f.src = ${JSON.stringify(`${A}/page.html?frame2`)}; })`);
    await sleep(200);
    assert(before!.closed, 'the iframe\'s old session to be over');
    return { frameIds: { before: [before!.info.processId, before!.info.frameId] } };
  });

  await check('round trips: typed arrays, Date, Map, BigInt, errors with custom properties', async () => {
    const r = await run(wc, 'roundTrip');
    assert(r.u8 && r.date && r.map && r.big && r.syncErrorCode === 'E_CUSTOM' && r.asyncError, JSON.stringify(r));
  });

  await check('a non-cloneable returnValue: Electron\'s setter throws (is the reply spent?)', async () => {
    const w3 = window();
    await w3.loadURL(`${A}/page.html`);
    const answer = await Promise.race([w3.webContents.executeJavaScript('smoke.run("uncloneable")'), sleep(3000).then(() => 'page still blocked')]);
    w3.destroy();
    return { returnValueFacts, pageGot: answer };
  });

  win.destroy();
  a.close();
  b.close();
  const failed = results.filter((r) => !r.ok).length;
  console.log(JSON.stringify({ electron: process.versions.electron, passed: results.length - failed, failed, mainErrors }, null, 1));
  app.exit(failed > 0 || mainErrors.length > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  app.exit(2);
});
