/**
 * Issue 16 item 6, across a real socket on loopback: limits on what a page sends are enforced
 * before main pays for it. A WebSocket message over the limit is refused from its frame header
 * (never buffered, never parsed); a sync request body over it is refused from its
 * content-length (or as soon as the bytes read pass it); and only so many sync bodies are read
 * at once. The hostile client runs in its own process so main's figures are main's own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { attacker, gc, healthyProbe, openSocket, sleep, watchMain, wsHost } from './attack-harness.js';

let hosts: WebSocketHost[] = [];
let kills: Array<() => void> = [];
afterEach(async () => {
  for (const k of kills) k();
  kills = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

const BIG_MESSAGE = `
const WebSocket = require('ws');
const ws = new WebSocket(process.env.URL, ['remora.1', 'remora-token.' + process.env.TOKEN], { origin: process.env.ORIGIN });
ws.on('open', () => {
  ws.send(JSON.stringify({ t: 'hello', v: Number(process.env.V), gen: 0 }));
  const n = Number(process.env.MIB) * 1024 * 1024;
  const head = '{"t":"apply","id":5,"ref":1,"path":["add"],"args":[';
  const body = head + '0,'.repeat(((n - head.length - 3) / 2) | 0) + '0]}';
  ws.send(body, (e) => console.log('sent ' + (e ? e.message : 'ok')));
});
ws.on('message', (d) => console.log('message ' + String(d).slice(0, 100)));
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
ws.on('error', (e) => console.log('error ' + e.message));
`;

const SYNC_BODIES = `
const http = require('http');
const n = Number(process.env.MIB) * 1024 * 1024;
const count = Number(process.env.COUNT);
const stall = process.env.STALL === '1';
const chunk = Buffer.alloc(256 * 1024, 0x20);
for (let i = 0; i < count; i++) {
  const req = http.request(process.env.SYNC_URL, { method: 'POST', agent: false, headers: {
    origin: process.env.ORIGIN, 'x-remora-token': process.env.TOKEN, 'x-remora-session': process.env.KEY, 'content-length': n } }, (res) => {
    let b = '';
    res.on('data', (d) => (b += d));
    res.on('end', () => console.log('status ' + res.statusCode + ' ' + b.slice(0, 120)));
  });
  req.on('error', (e) => console.log('error ' + e.code));
  if (stall) { req.write(chunk.subarray(0, 1024)); continue; }
  let sent = 0;
  const pump = () => {
    while (sent < n) {
      const c = chunk.subarray(0, Math.min(chunk.length, n - sent));
      sent += c.length;
      if (!req.write(c)) return req.once('drain', pump);
    }
    req.end();
  };
  pump();
}
`;

describe('websocket inbound limits (issue 16 item 6)', () => {
  it('refuses a WebSocket message over the frame limit from its header, before buffering or parsing it', async () => {
    const { host, closed } = await wsHost();
    hosts.push(host);
    const probe = await healthyProbe(host);
    await sleep(100);
    gc();
    const watch = watchMain();
    const a = attacker(BIG_MESSAGE, { URL: host.wsUrl, TOKEN: host.token, ORIGIN: host.origin, MIB: '60', V: String(PROTOCOL_VERSION) }, /^closed/);
    kills.push(a.kill);
    const out = await Promise.race([a.done, sleep(25_000).then(() => ['(still open after 25 s)'])]);
    await sleep(200);
    const figures = watch.stop();
    const healthy = await probe.stop();
    console.log('[item 6: one 60 MiB WebSocket message]', JSON.stringify({ main: figures, healthy, attacker: out.slice(-3), closed }));
    expect(closed.map((c) => c.kind)).toContain('too-large');
    expect(figures.heapMiB + figures.externalMiB).toBeLessThan(48);
    expect(healthy.failed).toBe(0);
  }, 60_000);

  it('answers a sync request body over the frame limit with 413 before reading it', async () => {
    const { host } = await wsHost();
    hosts.push(host);
    const { ws, key } = await openSocket(host);
    gc();
    const watch = watchMain();
    const a = attacker(SYNC_BODIES, { SYNC_URL: `${host.origin}/remora/sync`, TOKEN: host.token, ORIGIN: host.origin, KEY: key, MIB: '60', COUNT: '8' });
    kills.push(a.kill);
    const out = await Promise.race([a.done, sleep(40_000).then(() => ['(no answer after 40 s)'])]);
    const figures = watch.stop();
    ws.terminate();
    console.log('[item 6: 8 concurrent 60 MiB sync bodies]', JSON.stringify({ main: figures, answers: out }));
    expect(out.filter((l) => l.startsWith('status 400'))).toEqual([]);
    // Each request ends refused: 413, and the connection closed under the rest of its body (EPIPE).
    expect(out.filter((l) => l.startsWith('status 413') || l.startsWith('error')).length).toBeGreaterThanOrEqual(8);
    expect(out.some((l) => l.startsWith('status 413') && l.includes('E_FRAME_TOO_LARGE'))).toBe(true);
    expect(figures.heapMiB + figures.externalMiB).toBeLessThan(64);
  }, 60_000);

  it('reads at most maxSyncBodies sync bodies at once and answers the rest 503 E_TOO_MANY_CONNECTIONS', async () => {
    const { host } = await wsHost();
    hosts.push(host);
    const { ws, key } = await openSocket(host);
    const a = attacker(SYNC_BODIES, { SYNC_URL: `${host.origin}/remora/sync`, TOKEN: host.token, ORIGIN: host.origin, KEY: key, MIB: '1', COUNT: '12', STALL: '1' });
    kills.push(a.kill);
    await sleep(1500);
    a.kill();
    const out = await a.done;
    ws.terminate();
    console.log('[item 6: 12 stalled sync bodies]', JSON.stringify(out));
    const busy = out.filter((l) => l.startsWith('status 503') && l.includes('E_TOO_MANY_CONNECTIONS'));
    expect(busy.length).toBe(4);
  }, 30_000);
});
