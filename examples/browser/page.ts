/**
 * The page (bundled for the browser by main with esbuild): connects to main over the
 * WebSocket transport and renders remote Observables into the DOM.
 */
import { connect } from 'remora/renderer';
import { connectToMain } from 'remora/transports/websocket-page';
import type { Dashboard, Vitals } from './api.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

const client = connect(await connectToMain(), { name: 'browser-demo' });
const dash = await client.require<Dashboard>('dashboard');
$('session').textContent = client.connection.session ?? '?';

(await dash.clock()).subscribe((t) => {
  $('clock').textContent = t;
});

const history: number[] = [];
(await dash.vitals()).subscribe((v: Vitals) => {
  $('load').textContent = `${v.load.toFixed(2)} / ${v.cores} cores`;
  $('heap').textContent = `${v.heapMiB.toFixed(1)} MiB`;
  $('mem').textContent = `${v.freeMemPct}% free`;
  history.push(v.heapMiB);
  if (history.length > 40) history.shift();
  const max = Math.max(...history);
  $('spark').innerHTML = history.map((h) => `<i style="height:${Math.max(4, (h / max) * 100)}%"></i>`).join('');
});

(await dash.feed()).subscribe((lines) => {
  $('feed').innerHTML = lines.map((l) => `<li>${l.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</li>`).join('');
});

(await dash.clicks()).subscribe((n) => {
  $('clicks').textContent = String(n);
});
$('press').addEventListener('click', () => void dash.press());

// Round trips: the async default, and the synchronous compatibility path (sync XHR).
const time = async (n: number, f: () => unknown): Promise<number> => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  return (performance.now() - t0) / n;
};
const sync = client.remote.require<Dashboard>('dashboard');
await time(50, () => dash.add(1, 2)); // warm up both paths first
await time(10, () => sync.add(1, 2));
const asyncMs = await time(200, () => dash.add(1, 2));
const syncMs = await time(50, () => sync.add(1, 2));
$('rtt').textContent = `async ${asyncMs.toFixed(2)} ms · sync XHR ${syncMs.toFixed(2)} ms`;

await dash.press();
document.body.dataset.ready = '1';
