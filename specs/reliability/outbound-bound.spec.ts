/**
 * Issue 16 item 1: one tick's replies used to leave as one unbounded message, and past V8's
 * string limit the WebSocket transport's JSON.stringify threw RangeError out of main. Driven
 * by a plain `ws` client over loopback, as a buggy page would be.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBroker } from '../../src/entries/main.js';
import { defaultLimits } from '../../src/main/limits.js';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { listenWebSocket, WS_PROTOCOL, WS_TOKEN_PREFIX, type WebSocketHost } from '../../src/transports/websocket.js';
import { until } from '../support/workers.js';
import { measure } from './figures.js';

const MiB = 2 ** 20;
let hosts: WebSocketHost[] = [];
let sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets) s.terminate();
  sockets = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

async function open() {
  const broker = createBroker();
  const blob = 'x'.repeat(MiB);
  broker.exposeModule('big', () => ({
    blob,
    huge: (mib: number) => ({ text: 'y'.repeat(mib * MiB), handle: { tag: 'held' } }),
  }));
  const host = await listenWebSocket({ broker });
  hosts.push(host);
  const ws = new WebSocket(host.wsUrl, [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token], { origin: host.origin, maxPayload: 1024 * MiB });
  sockets.push(ws);
  const frames: any[] = [];
  const sizes: number[] = [];
  ws.on('message', (d: Buffer) => {
    sizes.push(d.length);
    const m = JSON.parse(d.toString());
    if (m.remora) return;
    // Keep what the spec checks, not the payloads (the heap figures are main's, not this client's).
    for (const f of m.t === 'batch' ? m.f : [m]) frames.push(typeof f.v === 'string' && f.v.length > 1024 ? { ...f, v: { length: f.v.length } } : f);
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
  ws.send(JSON.stringify({ t: 'require', id: 1, name: 'big' }));
  await until(() => frames.some((f) => f.id === 1), 5000, 'require');
  return { broker, ws, frames, sizes };
}

describe('outbound messages are bounded (WebSocket)', () => {
  it('splits a tick of 600 one-MiB replies into messages under maxMessageBytes and stays up', async () => {
    const { broker, ws, frames, sizes } = await open();
    const thrown: unknown[] = [];
    const onErr = (e: unknown): void => void thrown.push(e);
    process.on('uncaughtException', onErr);
    try {
      const m = measure('item 1: 600 x 1 MiB replies in one tick over WebSocket');
      const reads = Array.from({ length: 600 }, (_, i) => ({ t: 'get', id: 10 + i, ref: 1, path: ['blob'] }));
      sizes.length = 0;
      ws.send(JSON.stringify({ t: 'batch', f: reads }));
      await until(() => (m.sample(), frames.filter((f) => f.id >= 10).length === 600 || thrown.length > 0), 60_000, '600 replies');
      const f = m.stop();
      console.log(`[figures] item 1: ${sizes.length} messages, largest ${(Math.max(...sizes) / MiB).toFixed(2)} MiB`);
      expect(thrown).toEqual([]);
      expect(frames.filter((x) => x.id >= 10 && x.t === 'ok' && x.v.length === MiB)).toHaveLength(600);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(defaultLimits.maxMessageBytes + 1024);
      expect(broker.stats().sessions).toBe(1);
      expect(f.heapMiB).toBeLessThan(64);
    } finally {
      process.off('uncaughtException', onErr);
    }
  }, 90_000);

  it('answers a single reply over maxReplyBytes with E_REPLY_TOO_LARGE and gives back its refs', async () => {
    const { broker, ws, frames } = await open();
    const refsBefore = broker.stats().refs;
    ws.send(JSON.stringify({ t: 'apply', id: 5, ref: 1, path: ['huge'], args: [Math.ceil(defaultLimits.maxReplyBytes / MiB) + 1] }));
    await until(() => frames.some((f) => f.id === 5), 20_000, 'the reply');
    const reply = frames.find((f) => f.id === 5);
    expect(reply.t).toBe('fail');
    expect(JSON.stringify(reply.e)).toContain('E_REPLY_TOO_LARGE');
    expect(broker.stats().refs).toBe(refsBefore);
    // The session still serves.
    ws.send(JSON.stringify({ t: 'get', id: 6, ref: 1, path: ['blob', 'length'] }));
    await until(() => frames.some((f) => f.id === 6), 5000, 'next reply');
    expect(frames.find((f) => f.id === 6)).toEqual({ t: 'ok', id: 6, v: MiB });
  }, 30_000);
});
