/**
 * Real-browser support for the end-to-end specs: headless Debian Chromium driven by
 * playwright-core, a page bundle built with esbuild, and a loopback host serving it.
 *
 * Chromium must be installed (`apt-get install -y chromium`; CI does it). When it is missing
 * the specs fail with that instruction: they never skip.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { listenWebSocket, type ConnectionAcceptor, type WebSocketHost } from '../../../src/transports/websocket.js';

/** Where the Debian package installs Chromium. */
export const CHROMIUM = process.env.REMORA_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every e2e browser runs with (`--js-flags=--expose-gc` gives pages `gc()`). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--js-flags=--expose-gc',
];

/** Launch headless Chromium, or fail with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. The end-to-end specs need it: run "apt-get install -y chromium" (CI installs it), or set REMORA_CHROMIUM.`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Bundle a page entry (TypeScript, imports remora's renderer and page transport) for the browser. */
export async function bundlePage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

/** Static files by path: `[content-type, body]`. */
export type Files = Record<string, readonly [string, string]>;

/** An HTML page that loads `/page.js` as a module. */
export const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>remora e2e</title><body><div id="status">loading</div><div id="value"></div><script type="module" src="/page.js"></script></body>';

/** Start a loopback host for `broker` serving `files` (everything else 404). */
export function startHost(broker: ConnectionAcceptor, files: Files): Promise<WebSocketHost> {
  return listenWebSocket({
    broker,
    serve: (req: IncomingMessage, res: ServerResponse) => {
      const f = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
    },
  });
}

/** Open `url` in a new page (tab) and wait until the page fixture reports ready. */
export async function openReady(browser: Browser | BrowserContext, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(url);
  await waitReady(page);
  return page;
}

/** Wait until the page fixture set `document.body.dataset.ready`. */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body?.dataset.ready === '1', undefined, { timeout: 15_000 });
}
