/**
 * The browser demo (`npm run demo:browser`): main exposes live Observables, serves a page
 * bundle over loopback, opens it in headless Chromium, lets it run for a moment, writes a
 * screenshot and exits. The screenshot goes to the OS temp folder, so a run leaves the repo
 * clean; `npm run demo:browser -- --update-screenshot` writes the committed
 * docs/img/browser-demo.png instead.
 *
 * Needs Chromium (`apt-get install -y chromium`); set REMORA_CHROMIUM to use another binary.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { BehaviorSubject } from 'rxjs';
import { createBroker } from 'remora/main';
import { listenWebSocket } from 'remora/transports/websocket';
import { createDashboard } from './api.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const shot = process.argv.includes('--update-screenshot') ? here('../../docs/img/browser-demo.png') : join(tmpdir(), 'remora-browser-demo.png');
const executablePath = process.env.REMORA_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (or set REMORA_CHROMIUM).`);
  process.exit(1);
}

// Main: a broker exposing one module, and an activity feed fed by the broker's inspection stream.
const feed = new BehaviorSubject<string[]>([]);
const log = (line: string): void => {
  console.log(`  main | ${line}`);
  feed.next([...feed.value, `${new Date().toISOString().slice(11, 19)}  ${line}`].slice(-8));
};
const broker = createBroker();
broker.exposeModule('dashboard', () => createDashboard(feed));
broker.inspect$.subscribe((e) => {
  if (e.kind === 'session-opened') log(`session ${e.session} opened`);
  if (e.kind === 'session-closed') log(`session ${e.session} closed (${e.detail})`);
});

// The page bundle: remora's renderer side and the page transport, built for the browser.
const bundle = await build({ entryPoints: [here('./page.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome120', minify: true, logLevel: 'warning' });
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
log(`listening on ${host.origin} (loopback only; token required)`);

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 600 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error('page error:', e));
  page.on('console', (m) => m.type() === 'error' && console.error('page console:', m.text()));
  await page.goto(host.pageUrl('/'));
  await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
  log(`page connected; round trips: ${await page.textContent('#rtt')}`);
  await page.click('#press');
  await page.waitForFunction(() => document.getElementById('clicks')!.textContent === '2');
  log('the page pressed the button (async call); every page sees the count through an Observable');
  await page.waitForTimeout(1500); // let the clock, vitals and sparkline run for a moment
  const s = broker.stats();
  log(`tables: sessions=${s.sessions} refs=${s.refs} subscriptions=${s.subscriptions} callbacks=${s.callbacks}`);
  await page.waitForTimeout(300);
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot });
  console.log(`  main | screenshot written to ${shot}`);
  await page.close();
  const end = Date.now() + 5000;
  while (broker.stats().sessions > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const after = broker.stats();
  console.log(`  main | page closed: sessions=${after.sessions} refs=${after.refs} subscriptions=${after.subscriptions}`);
} finally {
  await browser.close();
  await host.close();
}
