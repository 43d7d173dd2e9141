/**
 * React todos (`npm run example:react-todos`): main owns 1,000 todos in a state actor and a
 * window-like emitter; a React 19 page in headless Chromium renders them with `remora/react`.
 * Main toggles one todo, clicks another in the page, emits a focus change, then reads from the
 * page how many rows re-rendered (one per toggle) and checks that closing the page left
 * nothing behind. Needs Chromium (`apt-get install -y chromium`; or set REMORA_CHROMIUM).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { createBroker } from 'remora/main';
import { listenWebSocket } from 'remora/transports/websocket';
import { createTodos, createWindow } from './todos.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const executablePath = process.env.REMORA_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (or set REMORA_CHROMIUM).`);
  process.exit(1);
}

const broker = createBroker();
const todos = createTodos(1000);
const win = createWindow();
todos.expose(broker, 'todos');
broker.exposeGlobal('window', win);

// React's production build, bundled for the browser with the page.
const bundle = await build({
  entryPoints: [here('./page.tsx')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome120', minify: true,
  define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning',
});
const files: Record<string, [string, string | Uint8Array]> = {
  '/': ['text/html; charset=utf-8', readFileSync(here('./index.html'), 'utf8')],
  '/page.js': ['text/javascript', bundle.outputFiles[0]!.contents],
  '/favicon.ico': ['image/x-icon', ''],
};
const host = await listenWebSocket({
  broker,
  serve: (req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
  },
});
const log = (line: string): void => console.log(`main | ${line}`);

const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(host.pageUrl('/'));
  await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1000, undefined, { timeout: 30_000 });
  log(`the page rendered ${await page.locator('#list li').count()} rows; ${await page.textContent('#remaining')}`);

  await todos.dispatch('toggle', 42);
  await page.waitForFunction(() => document.querySelector('li[data-id="42"]')!.className === 'done');
  log('main toggled #42');
  await page.click('li[data-id="7"] input');
  await page.waitForFunction(() => document.querySelector('li[data-id="7"]')!.className === 'done');
  log(`the page clicked #7 (a dispatch); main's todo #7 done: ${todos.state.items[6]!.done}`);

  win.emit('focus', false);
  await page.waitForFunction(() => document.getElementById('focus')!.textContent === 'window in the background');
  log(`main emitted focus=false; the page shows "${await page.textContent('#focus')}"`);

  const counts = await page.$$eval('#list li', (lis) => lis.map((li) => Number((li as HTMLElement).dataset.renders)));
  const rerendered = counts.filter((n) => n > 1).length;
  log(`rows rendered more than once: ${rerendered} of ${counts.length} (two toggles)`);
  const open = broker.stats();
  await page.close();
  const end = Date.now() + 5000;
  while (broker.stats().sessions > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const after = broker.stats();
  log(`page open: subscriptions=${open.subscriptions}; page closed: sessions=${after.sessions} refs=${after.refs} subscriptions=${after.subscriptions} window listeners=${win.listenerCount('focus')}`);
  if (rerendered === 2 && after.sessions === 0 && after.subscriptions === 0 && win.listenerCount('focus') === 0) {
    log('done: one toggle re-rendered one row of 1,000, and the closed page left nothing in main.');
  } else {
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await host.close();
}
