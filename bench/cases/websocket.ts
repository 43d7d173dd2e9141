/**
 * Page ↔ main over WebSocket, in headless Chromium: remora async calls (sequential, and 100 in
 * flight) against a raw WebSocket echo from the same page to the same process, plus the sync
 * compatibility path (sync XHR) for reference. Run by `npm run bench` (`--only=websocket`).
 *
 * Needs Chromium (`apt-get install -y chromium`, or REMORA_CHROMIUM).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { createBroker } from '../../src/entries/main.js';
import { listenWebSocket } from '../../src/transports/websocket.js';
import { median } from '../lib/stats.js';
import { type Contender, interleaved } from '../lib/harness.js';
import type { BenchContext, CaseResult, Row } from '../lib/types.js';

/** The page: remora client plus a raw socket to the echo server; commands run from `page.evaluate`. */
const PAGE = `
import { connect } from '../../src/renderer/index.js';
import { connectToMain } from '../../src/transports/websocket-page.js';
const client = connect(await connectToMain(), { name: 'bench' });
const api = await client.require('api');
const sync = client.remote.require('api');
const raw = new WebSocket(window.ECHO_URL);
await new Promise((r) => raw.addEventListener('open', r, { once: true }));
let waiters = new Map();
let nextId = 1;
raw.addEventListener('message', (ev) => {
  const m = JSON.parse(ev.data);
  const w = waiters.get(m.id);
  waiters.delete(m.id);
  w(m.v);
});
const rawAdd = (a, b) => new Promise((res) => {
  const id = nextId++;
  waiters.set(id, res);
  raw.send(JSON.stringify({ t: 'apply', id, ref: 1, path: ['add'], args: [a, b] }));
});
const seq = async (f, n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) await f(i, 1); return ((performance.now() - t0) * 1000) / n; };
const burst = async (f, inflight, reps) => {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await Promise.all(Array.from({ length: inflight }, (_, i) => f(i, 1)));
  return (inflight * reps) / ((performance.now() - t0) / 1000);
};
window.bench = {
  seq: (which, n) => seq(which === 'raw' ? rawAdd : (a, b) => api.add(a, b), n),
  burst: (which, inflight, reps) => burst(which === 'raw' ? rawAdd : (a, b) => api.add(a, b), inflight, reps),
  syncSeq: (n) => seq((a, b) => sync.add(a, b), n),
};
document.body.dataset.ready = '1';
`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function row(impl: string, samples: number[], unit: string, better: 'lower' | 'higher', baseline = false): Row {
  return { impl, value: median(samples), unit, better, samples, baseline };
}

/** Run the WebSocket case (the suite calls it with its context). */
export async function run(ctx: BenchContext): Promise<CaseResult[]> {
  const executablePath = process.env.REMORA_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`websocket bench: Chromium not found at ${executablePath}; apt-get install -y chromium`);
  const bundle = await build({
    stdin: { contents: PAGE, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js', sourcefile: 'bench-page.js' },
    bundle: true, write: false, format: 'esm', platform: 'browser', target: 'chrome120', minify: true, logLevel: 'warning',
  });
  const broker = createBroker();
  broker.exposeModule('api', () => ({ add: (a: number, b: number) => a + b }));
  // The raw baseline: a bare ws server that parses each message and answers { id, v } at once.
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  echo.on('connection', (ws) => ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    ws.send(JSON.stringify({ t: 'ok', id: m.id, v: m.args[0] + m.args[1] }));
  }));
  await new Promise((r) => echo.once('listening', r));
  const echoUrl = `ws://127.0.0.1:${(echo.address() as { port: number }).port}`;
  const html = `<!doctype html><script>window.ECHO_URL=${JSON.stringify(echoUrl)}</script><script type="module" src="/page.js"></script><body></body>`;
  const host = await listenWebSocket({
    broker,
    serve: (req, res) => {
      if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle.outputFiles[0]!.contents);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    },
  });
  const browser = await chromium.launch({ executablePath, args: ARGS });
  try {
    const page: Page = await browser.newPage();
    await page.goto(host.pageUrl('/'));
    await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
    type W = { bench: { seq(w: string, n: number): Promise<number>; burst(w: string, i: number, r: number): Promise<number>; syncSeq(n: number): Promise<number> } };
    const seqN = ctx.smoke ? 100 : 1000;
    const inflight = 100;
    const reps = ctx.smoke ? 5 : 30;
    ctx.log(`websocket: page ↔ main in Chromium, ${seqN} sequential calls, ${reps} × ${inflight} in flight, ${ctx.rounds} rounds`);
    const seq = await interleaved(
      ['raw', 'remora'].map((w): Contender => ({ name: w, run: () => page.evaluate(([w, n]) => (window as unknown as W).bench.seq(w, n), [w, seqN] as const) })),
      ctx.rounds, ctx.warmup,
    );
    const burst = await interleaved(
      ['raw', 'remora'].map((w): Contender => ({ name: w, run: () => page.evaluate(([w, i, r]) => (window as unknown as W).bench.burst(w, i, r), [w, inflight, reps] as const) })),
      ctx.rounds, ctx.warmup,
    );
    const syncN = ctx.smoke ? 20 : 200;
    const syncSamples: number[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(ctx.rounds / 2)); i++) syncSamples.push(await page.evaluate((n) => (window as unknown as W).bench.syncSeq(n), syncN));
    const seqRows = [row('raw WebSocket echo', seq[0]!, 'µs', 'lower', true), row('remora (async)', seq[1]!, 'µs', 'lower'), row('remora sync (sync XHR)', syncSamples, 'µs', 'lower')];
    const tpRows = [row('raw WebSocket echo', burst[0]!, 'ops/s', 'higher', true), row('remora (async)', burst[1]!, 'ops/s', 'higher')];
    const r1 = seqRows[1]!.value / seqRows[0]!.value;
    const r2 = tpRows[0]!.value / tpRows[1]!.value;
    return [
      {
        id: 'websocket-rtt', title: 'Page ↔ main round trip over WebSocket (sequential)', rows: seqRows,
        checks: [{ label: 'remora / raw', measured: r1, unit: 'x', target: '<= 1.3x', pass: r1 <= 1.3 }],
        notes: [`${seqN} sequential awaited add(i, 1) calls from a headless Chromium page, time per call measured in the page; the raw baseline is a bare ws server answering the same JSON frame. The sync row is the compatibility path (sync XHR), for reference.`],
      },
      {
        id: 'websocket-throughput', title: 'Page ↔ main over WebSocket (100 calls in flight)', rows: tpRows,
        checks: [{ label: 'raw / remora, time per call', measured: r2, unit: 'x', target: '<= 1.3x', pass: r2 <= 1.3 }],
        notes: [`${reps} waves of ${inflight} concurrent add(i, 1) calls per run (Promise.all), calls per second.`],
      },
    ];
  } finally {
    await browser.close();
    await host.close();
    await new Promise((r) => echo.close(r));
  }
}
