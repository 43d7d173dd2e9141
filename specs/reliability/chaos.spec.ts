/**
 * Chaos: healthy and hostile renderers in real worker threads, mixed for a bounded time. The
 * hostile ones do issue 16's attacks over and over (a tick of large replies, blocking frames
 * of never-settling handlers, sessions that leave holding tens of thousands of listeners,
 * floods of cheap calls and garbage), dying and coming back; one more attacks over WebSocket
 * with a tick of replies past V8's string limit. Main must stay up, its heap
 * (after collection) within a stated bound, and the healthy renderer served throughout: every
 * answer right, none failed, its p99 latency reported.
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBroker, type Broker } from '../../src/entries/main.js';
import { callContext } from '../../src/main/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { listenWebSocket, WS_PROTOCOL, WS_TOKEN_PREFIX, type WebSocketHost } from '../../src/transports/websocket.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';
import { measure } from './figures.js';
import { makeCalc } from './harness.js';

const MiB = 2 ** 20;
const RUN_MS = 12_000;
/** Main's heap after collection may grow this much over the run. */
const HEAP_BOUND_MIB = 128;

let workers: Worker[] = [];
let hosts: WebSocketHost[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

/** Handlers of never-settling calls still running (each stops when its call is aborted). */
let running = 0;

function playground() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const blob = 'z'.repeat(MiB);
  return {
    blob,
    emitter,
    add: (a: number, b: number) => a + b,
    wait: () => {
      running++;
      callContext()!.signal.addEventListener('abort', () => running--);
      return new Promise<never>(() => undefined);
    },
  };
}

/** Item 1 over WebSocket: one message of `n` reads of the 1 MiB blob; resolves once all are answered or the socket closed. */
async function wsBigReads(host: WebSocketHost, n: number): Promise<number> {
  const ws = new WebSocket(host.wsUrl, [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token], { origin: host.origin, maxPayload: 1024 * MiB });
  let answered = 0;
  const done = new Promise<void>((resolve) => {
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString());
      const frames = m.t === 'batch' ? m.f : [m];
      for (const f of frames) if (f.id >= 10) answered++;
      if (answered >= n) resolve();
      if (frames.some((f: { id?: number }) => f.id === 1)) ws.send(JSON.stringify({ t: 'batch', f: Array.from({ length: n }, (_, i) => ({ t: 'get', id: 10 + i, ref: 1, path: ['blob'] })) }));
    });
    ws.once('close', () => resolve());
    ws.once('error', () => resolve());
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
  ws.send(JSON.stringify({ t: 'require', id: 1, name: 'svc' }));
  await Promise.race([done, sleep(30_000)]);
  ws.terminate();
  return answered;
}

async function hostile(broker: Broker) {
  const w = startRenderer('hostile');
  workers.push(w);
  broker.connect(workerTransport(w));
  const run = await commander(w);
  await run('hello');
  return { w, run };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos', () => {
  it('keeps main up, bounded, and serving a healthy renderer while hostile renderers attack for 12 s', async () => {
    const broker = createBroker({ limits: { maxPending: 2_000, maxCallbacks: 100_000 }, budget: { maxSessions: 16 } });
    broker.exposeModule('calc', makeCalc);
    broker.exposeModule('svc', playground, { mailbox: { maxConcurrent: 10_000 } });
    const thrown: unknown[] = [];
    const onErr = (e: unknown): void => void thrown.push(e);
    process.on('uncaughtException', onErr);
    process.on('unhandledRejection', onErr);
    const attacks = { bigReads: 0, wsBigReads: 0, wsAnswered: 0, syncFloods: 0, listenerSessions: 0, floods: 0, sessions: 0 };
    running = 0;
    const host = await listenWebSocket({ broker });
    hosts.push(host);
    try {
      const good = startRenderer('reliability-good', { name: 'healthy' });
      workers.push(good);
      const ready = nextMessage(good, (m) => m.ready);
      broker.connect(workerTransport(good));
      await ready;

      const m = measure('chaos: 12 s of hostile renderers beside a healthy one');
      const end = Date.now() + RUN_MS;
      const report = nextMessage(good, (x) => x.report, RUN_MS + 60_000);
      good.postMessage({ cmd: 'run', untilStop: true, sync: true, stream: true, pauseMs: 2 });

      const loop = async (body: () => Promise<void>) => {
        while (Date.now() < end) {
          await body();
          m.sample();
        }
      };
      await Promise.all([
        // Item 1: a tick of 40 one-MiB replies, again and again.
        loop(async () => {
          const h = await hostile(broker);
          attacks.sessions++;
          for (let i = 0; i < 5 && Date.now() < end; i++) {
            await h.run('bigReads', 40);
            attacks.bigReads++;
            await sleep(200);
          }
          await h.w.terminate();
        }),
        // Item 1 over WebSocket: one tick of 520 one-MiB replies (past V8's string limit as one message).
        loop(async () => {
          attacks.wsAnswered += await wsBigReads(host, 520);
          attacks.wsBigReads++;
          await sleep(1_000);
        }),
        // Item 8: blocking frames of a handler that never settles, then the renderer dies.
        loop(async () => {
          const h = await hostile(broker);
          attacks.sessions++;
          await h.run('syncFlood', 5_000);
          attacks.syncFloods++;
          await sleep(300);
          await h.w.terminate();
        }),
        // Item 9: a session that leaves holding 50 000 listeners.
        loop(async () => {
          const h = await hostile(broker);
          attacks.sessions++;
          await h.run('listeners', 50_000);
          attacks.listenerSessions++;
          await h.w.terminate();
        }),
        // Floods of cheap calls and garbage frames.
        loop(async () => {
          const h = await hostile(broker);
          attacks.sessions++;
          for (let i = 0; i < 10 && Date.now() < end; i++) {
            await h.run('flood', 3_000);
            await h.run('garbage', 100);
            attacks.floods++;
            await sleep(50);
          }
          await h.w.terminate();
        }),
      ]);
      good.postMessage({ cmd: 'stop' });
      const r = await report;
      await until(() => broker.stats().sessions === 1, 20_000, 'hostile sessions gone');
      await until(() => running === 0, 5_000, 'aborted handlers').catch(() => undefined);
      const f = m.stop();
      const held = broker.stats();
      console.log(`[figures] chaos: attacks ${JSON.stringify(attacks)}; healthy renderer ${r.calls} checks, latency ${JSON.stringify(r.latency)} ms; main after: ${JSON.stringify(held)}, never-settling handlers still running ${running}`);
      expect(thrown).toEqual([]);
      expect(r.wrong).toEqual([]);
      expect(r.errors).toEqual([]);
      expect(r.calls).toBeGreaterThan(100);
      expect(r.latency.max).toBeLessThan(5_000);
      expect(f.heapMiB).toBeLessThan(HEAP_BOUND_MIB);
      expect(held).toMatchObject({ sessions: 1, listeners: 0, subscriptions: 0 });
      expect(held.pending).toBe(0);
      expect(running).toBe(0);
      expect(attacks.wsAnswered).toBe(520 * attacks.wsBigReads);
      expect(attacks.bigReads && attacks.syncFloods && attacks.listenerSessions && attacks.floods).toBeGreaterThan(0);
    } finally {
      process.off('uncaughtException', onErr);
      process.off('unhandledRejection', onErr);
    }
  }, RUN_MS + 90_000);
});
