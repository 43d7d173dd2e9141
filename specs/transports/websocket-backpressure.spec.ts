/**
 * Issue 16 item 7, across a real socket on loopback: a page that stops reading cannot make
 * main buffer without bound. The hostile page (its own process) keeps asking for 1 MiB replies
 * with its socket paused; main cuts it off as a slow consumer once `maxBufferedBytes` wait on
 * it, its session ends, and a healthy page is served throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { attacker, gc, healthyProbe, sleep, watchMain, wsHost } from './attack-harness.js';

let hosts: WebSocketHost[] = [];
let kills: Array<() => void> = [];
afterEach(async () => {
  for (const k of kills) k();
  kills = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

const STALLED_READER = `
const WebSocket = require('ws');
const ws = new WebSocket(process.env.URL, ['remora.1', 'remora-token.' + process.env.TOKEN], { origin: process.env.ORIGIN });
ws.once('message', () => {
  ws.send(JSON.stringify({ t: 'hello', v: Number(process.env.V), gen: 0 }));
  ws.send(JSON.stringify({ t: 'require', id: 1, name: 'api' }));
  ws._socket.pause();
  let id = 2;
  const timer = setInterval(() => {
    if (id > Number(process.env.CALLS)) { clearInterval(timer); console.log('sent all'); return; }
    ws.send(JSON.stringify({ t: 'apply', id: id++, ref: 1, path: ['big'], args: [1048576] }));
  }, 4);
});
ws.on('close', (code) => { console.log('closed ' + code); process.exit(0); });
ws.on('error', (e) => console.log('error ' + e.message));
`;

describe('websocket output backpressure (issue 16 item 7)', () => {
  it('cuts off a page that stopped reading as a slow consumer before main buffers more than maxBufferedBytes', async () => {
    const { host, closed, broker } = await wsHost();
    hosts.push(host);
    const probe = await healthyProbe(host);
    await sleep(100);
    gc();
    const watch = watchMain();
    const a = attacker(STALLED_READER, { URL: host.wsUrl, TOKEN: host.token, ORIGIN: host.origin, V: String(PROTOCOL_VERSION), CALLS: '400' }, /^(closed|sent all)/);
    kills.push(a.kill);
    const out = await a.done;
    await sleep(300);
    const figures = watch.stop();
    const healthy = await probe.stop();
    console.log('[item 7: a page that stops reading, 400 x 1 MiB replies]', JSON.stringify({ main: figures, healthy, attacker: out.slice(-2), closed, sessions: broker.stats().sessions }));
    expect(closed.map((c) => c.kind)).toContain('slow-consumer');
    expect(figures.heapMiB + figures.externalMiB).toBeLessThan(160);
    expect(healthy.failed).toBe(0);
  }, 60_000);
});
