/**
 * Issue 16 item 12, across real TCP connections on loopback: refused upgrades are closed at
 * once, connections that never finish their handshake are dropped at the deadline and capped
 * (the oldest goes first), and a healthy page still connects and is served during the flood.
 */
import { connect, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocketHost } from '../../src/transports/websocket.js';
import { healthyProbe, sleep, wsHost } from './attack-harness.js';

let hosts: WebSocketHost[] = [];
let socks: Socket[] = [];
afterEach(async () => {
  for (const s of socks) s.destroy();
  socks = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

const openConnections = (host: WebSocketHost): Promise<number> => new Promise((r) => host.server.getConnections((_e, n) => r(n)));
const fds = (): number => readdirSync('/proc/self/fd').length;

/** Open `n` raw connections; each sends `request` (or nothing) and never closes or reads on. */
async function flood(host: WebSocketHost, n: number, request?: string): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const s = connect(host.port, '127.0.0.1', () => {
      if (request) s.write(request);
      resolve();
    });
    s.on('error', () => resolve());
    socks.push(s);
  })));
}

describe('websocket connection budget (issue 16 item 12)', () => {
  it('closes refused upgrades at once instead of leaving them open', async () => {
    const { host } = await wsHost();
    hosts.push(host);
    const before = fds();
    const bad = `GET /remora HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: ${host.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: remora.1, remora-token.wrongwrongwrongwrong\r\n\r\n`;
    await flood(host, 200, bad);
    await sleep(500);
    const open = await openConnections(host);
    console.log('[item 12: 200 refused upgrades]', JSON.stringify({ serverConnectionsOpen: open, processFdsAdded: fds() - before }));
    expect(open).toBe(0);
  }, 30_000);

  it('drops handshakes past maxHandshakes (oldest first) and at their deadline, and a healthy page still gets in', async () => {
    const { host } = await wsHost({ handshakeTimeoutMs: 800 });
    hosts.push(host);
    await flood(host, 300);
    await sleep(100);
    const during = await openConnections(host);
    const probe = await healthyProbe(host);
    await sleep(200);
    const healthy = await probe.stop();
    await sleep(1200);
    const after = await openConnections(host);
    console.log('[item 12: 300 idle connections]', JSON.stringify({ serverConnectionsDuring: during, serverConnectionsAfterDeadline: after, healthy }));
    expect(during).toBeLessThanOrEqual(32);
    expect(after).toBe(0);
    expect(healthy.calls).toBeGreaterThan(0);
    expect(healthy.failed).toBe(0);
  }, 30_000);

  it('keeps at most maxConnections open connections', async () => {
    const { host } = await wsHost({ maxConnections: 20, maxHandshakes: 100, handshakeTimeoutMs: 5000 });
    hosts.push(host);
    await flood(host, 60);
    await sleep(200);
    const open = await openConnections(host);
    console.log('[item 12: 60 connections, maxConnections 20]', JSON.stringify({ serverConnectionsOpen: open }));
    expect(open).toBeLessThanOrEqual(20);
  }, 30_000);
});
