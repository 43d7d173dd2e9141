/**
 * Issue 16 item 1, the transport side: `send` never throws out of a transport, whatever it is
 * given. A message that cannot be serialised or cloned (too large for V8's strings, a cycle, a
 * function) closes the connection with a typed reason (`code`), which the real peer sees as a
 * close, and main carries on. Across real boundaries: a `ws` client on loopback, a worker thread.
 */
import { Worker } from 'node:worker_threads';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloseReason, Transport } from '../../src/transport.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { listenWebSocket, type WebSocketHost } from '../../src/transports/websocket.js';
import { workerTransport } from '../../src/transports/worker.js';
import { openSocket, watchMain } from './attack-harness.js';

let hosts: WebSocketHost[] = [];
let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

/** A host whose acceptor hands over main's end of each socket. */
async function hostWithEnds() {
  const ends: Transport[] = [];
  const host = await listenWebSocket({ broker: { connect: (t) => ends.push(t) }, heartbeatMs: 0 });
  hosts.push(host);
  return { host, ends };
}

describe('a transport refuses what it cannot send (issue 16 item 1)', () => {
  it('closes a socket with E_FRAME_TOO_LARGE when a message is past V8\'s string limit, without throwing', async () => {
    const { host, ends } = await hostWithEnds();
    const { ws } = await openSocket(host);
    const t = ends[0]!;
    const closedBy = firstValueFrom(t.closed$);
    const peerClosed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const mib = 'x'.repeat(1024 * 1024);
    // 600 reads of a 1 MiB value in one tick: one batch past V8's ~512 MiB string limit.
    const batch = { t: 'batch', f: Array.from({ length: 600 }, (_, i) => ({ t: 'ok', id: i + 1, v: mib })) };
    const watch = watchMain();
    let threw: unknown;
    try {
      t.send(batch);
    } catch (e) {
      threw = e;
    }
    const figures = watch.stop();
    console.log('[item 1: one 600 MiB batch on a socket]', JSON.stringify({ threw: threw === undefined ? 'nothing' : String(threw), main: figures }));
    expect(threw).toBeUndefined();
    expect(await closedBy).toMatchObject({ kind: 'too-large', code: 'E_FRAME_TOO_LARGE' });
    expect(await peerClosed).toBe(1009);
  }, 60_000);

  it('closes a socket with E_BAD_VALUE for a message JSON cannot write (a cycle, a throwing toJSON)', async () => {
    const { host, ends } = await hostWithEnds();
    await openSocket(host);
    await openSocket(host);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const reasons: CloseReason[] = [];
    for (const t of ends) t.closed$.subscribe((r) => reasons.push(r));
    expect(() => ends[0]!.send(cycle)).not.toThrow();
    expect(() => ends[1]!.send({ v: { toJSON: () => { throw { toString: 0 }; } } })).not.toThrow();
    expect(reasons.map((r) => r.code)).toEqual(['E_BAD_VALUE', 'E_BAD_VALUE']);
  });

  it('closes a worker connection with E_BAD_VALUE for a message that cannot be cloned, and the worker sees its port close', async () => {
    const w = new Worker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.once('message', (m) => {
        const { port } = m.__remora_connect__;
        port.on('close', () => parentPort.postMessage('port closed'));
        port.on('message', () => {});
        parentPort.postMessage('ready');
      });`, { eval: true });
    workers.push(w);
    const ready = new Promise((r) => w.once('message', r));
    const t = workerTransport(w);
    const closedBy = firstValueFrom(t.closed$);
    expect(await ready).toBe('ready');
    const seen = new Promise((r) => w.once('message', r));
    expect(() => t.send({ t: 'ok', id: 1, v: () => 1 })).not.toThrow();
    expect(await closedBy).toMatchObject({ kind: 'refused', code: 'E_BAD_VALUE' });
    expect(await seen).toBe('port closed');
  });

  it('closes a memory pair with E_BAD_VALUE for a message that cannot be cloned', async () => {
    const { main, renderer } = createMemoryPair();
    const closedBy = firstValueFrom(main.closed$);
    const peer = firstValueFrom(renderer.closed$);
    expect(() => main.send({ v: () => 1 })).not.toThrow();
    expect(await closedBy).toMatchObject({ kind: 'refused', code: 'E_BAD_VALUE' });
    expect(await peer).toMatchObject({ code: 'E_BAD_VALUE' });
  });
});
