/**
 * The inspector demo (`npm run demo:inspector`): main runs a small shop (a catalogue, a
 * payments service that fails now and then and is restarted with a backoff, a legacy service
 * stopped on its first failure), two Chromium pages use it, and `serveInspector` shows it all
 * live in a third page. After about fifteen seconds (one shop page reloads meanwhile, so a closed
 * session shows) it writes docs/img/inspector.png and exits; pass `--open` to keep it running
 * and print the inspector's URL for your own browser instead.
 *
 * Needs Chromium (`apt-get install -y chromium`); set REMORA_CHROMIUM to use another binary.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { serveInspector } from 'remora/inspector';
import { createBroker } from 'remora/main';
import { listenWebSocket } from 'remora/transports/websocket';
import { createCatalogue, createLegacy, createPayments } from './api.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const shot = here('../../docs/img/inspector.png');
const keepOpen = process.argv.includes('--open');
const executablePath = process.env.REMORA_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (or set REMORA_CHROMIUM).`);
  process.exit(1);
}

// Main: the app's broker, with one supervision group for the services.
const broker = createBroker();
const ticker = new EventEmitter();
const tick = setInterval(() => ticker.emit('tick'), 250);
broker.exposeModule('catalogue', () => createCatalogue(ticker));
const services = broker.group('services', { kind: 'one-for-one', onEscalation: 'restart' });
broker.exposeModule('payments', createPayments, { supervisor: services, supervision: { strategy: 'restart', maxRestarts: 50, withinMs: 10_000, backoff: { minMs: 40 } } });
broker.exposeModule('legacy', createLegacy, { supervisor: services, supervision: { strategy: 'stop' } });

// The shop pages' own host (the app's renderers), and the inspector on its own port.
const bundle = await build({ entryPoints: [here('./page.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome120', minify: true, logLevel: 'warning' });
const html = '<!doctype html><meta charset="utf-8"><title>shop</title><body><div id="status">loading</div><script type="module" src="/page.js"></script></body>';
const app = await listenWebSocket({
  broker,
  serve: (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    if (path === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle.outputFiles[0]!.text);
    res.writeHead(404).end();
  },
});
const inspector = await serveInspector(broker);
console.log(`  main | app on ${app.origin}; inspector at ${inspector.url}`);

const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic'] });
try {
  const view = await browser.newPage({ viewport: { width: 1440, height: 800 }, deviceScaleFactor: 1 });
  view.on('pageerror', (e) => console.error('inspector page error:', e));
  await view.goto(inspector.url);
  await view.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
  console.log('  main | inspector attached; now the shop pages start working');
  const shopA = await browser.newPage();
  const shopB = await browser.newPage();
  await shopA.goto(app.pageUrl('/'));
  await shopB.goto(`${app.pageUrl('/')}&b`);
  await view.waitForTimeout(12_000); // long enough for the chart to fill a little
  await shopB.reload();
  console.log('  main | shop b reloaded: its old session closes (greyed out in the inspector)');
  await view.waitForTimeout(1500);
  const s = broker.stats();
  console.log(`  main | broker.stats(): sessions=${s.sessions} refs=${s.refs} callbacks=${s.callbacks} listeners=${s.listeners} subscriptions=${s.subscriptions}`);
  mkdirSync(dirname(shot), { recursive: true });
  await view.screenshot({ path: shot, fullPage: true });
  console.log(`  main | screenshot written to ${shot}`);
  if (keepOpen) {
    console.log(`  main | --open: open ${inspector.url} in a browser; Ctrl-C to stop`);
    await new Promise(() => undefined);
  }
} finally {
  clearInterval(tick);
  await browser.close();
  await inspector.close();
  await app.close();
}
