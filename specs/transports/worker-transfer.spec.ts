/**
 * Zero-copy binary over a real worker thread (issue 19 item 7): `transfer(value, [buffers])`
 * moves the buffers in postMessage's transfer list, both ways (a renderer's arguments, main's
 * replies); the sender's buffer is detached, the receiver's intact. Unmarked binary is still a
 * snapshot taken at the call, and the in-memory transport, which cannot transfer, copies.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, transfer as mainTransfer } from '../../src/entries/main.js';
import { connect, transfer } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage, startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const sumOf = (b: Uint8Array): number => b.reduce((a, x) => a + x, 0);

function bytesModule() {
  let last: ArrayBuffer | undefined;
  const received: Uint8Array[] = [];
  const mod = {
    take(b: ArrayBuffer | Uint8Array) {
      const v = b instanceof ArrayBuffer ? new Uint8Array(b) : b;
      received.push(v);
      return { sum: sumOf(v), length: v.byteLength };
    },
    takeTwo(a: Uint8Array, b: Uint8Array) {
      return { sums: [sumOf(a), sumOf(b)] };
    },
    give(n: number) {
      last = Uint8Array.from({ length: n }, (_, i) => i % 251).buffer;
      return mainTransfer(last, [last]);
    },
    lastGiven() {
      // Node 20 has no `ArrayBuffer.prototype.detached`: a detached buffer has byteLength 0.
      return { byteLength: last?.byteLength ?? -1, detached: last !== undefined && last.byteLength === 0 };
    },
  };
  return { mod, received };
}

async function started() {
  const broker = createBroker();
  const { mod, received } = bytesModule();
  broker.exposeModule('bytes', () => mod);
  const w = startRenderer('transfer');
  workers.push(w);
  const ready = nextMessage(w, (m) => m.ready);
  broker.connect(workerTransport(w));
  await ready;
  const run = async (cmd: string, n = 64 * 1024) => {
    const reply = nextMessage(w, (m) => 'ok' in m);
    w.postMessage({ cmd, n });
    const r = await reply;
    if (!r.ok) throw new Error(r.error.message);
    return r.result;
  };
  return { run, received };
}

describe('transfer over a worker thread', () => {
  it('detaches a transferred ArrayBuffer on the renderer as the call leaves and delivers it intact to main', async () => {
    const { run } = await started();
    const r = await run('sendMoved');
    expect(r.senderByteLengthAfterCall).toBe(0);
    expect(r.senderDetached).toBe(true);
    expect(r.got).toEqual({ sum: r.expected, length: 64 * 1024 });
  });

  it('moves the buffer of a transferred typed array and rebuilds the view in main', async () => {
    const { run, received } = await started();
    const r = await run('sendMovedView', 4096);
    expect(r.senderDetached).toBe(true);
    expect(r.senderByteLength).toBe(0);
    expect(r.got).toEqual({ sum: r.expected, length: 4096 });
    expect(received[0]).toBeInstanceOf(Uint8Array);
  });

  it('moves only the marked buffer of a call and copies the others', async () => {
    const { run } = await started();
    const r = await run('sendMixed', 1000);
    expect(r.movedDetached).toBe(true);
    expect(r.copiedByteLength).toBe(1000);
    expect(r.copiedSum).toBe(r.expected);
    expect(r.got).toEqual({ sums: [r.expected, r.expected] });
  });

  it('hands main a snapshot of unmarked binary taken at the call, leaving the renderer its buffer', async () => {
    const { run } = await started();
    const r = await run('sendCopied');
    expect(r.senderDetached).toBe(false);
    expect(r.got.sum).toBe(r.expected);
  });

  it('copies a marked buffer in a synchronous call, which leaves at once without a transfer list', async () => {
    const { run } = await started();
    const r = await run('sendMovedSync', 2048);
    expect(r.got).toEqual({ sum: r.expected, length: 2048 });
    expect(r.senderByteLength).toBe(2048);
    expect(r.after).toEqual({ sum: r.expected, length: 2048 });
  });

  it('detaches a buffer main returns with transfer() and delivers it intact to the renderer', async () => {
    const { run } = await started();
    const r = await run('receive', 100_000);
    expect(r.given).toEqual({ byteLength: 0, detached: true });
    expect(r.byteLength).toBe(100_000);
    expect(r.sum).toBe(r.expected);
  });
});

describe('transfer on a transport that cannot transfer', () => {
  it('copies a marked buffer over the in-memory pair: both sides keep intact bytes', async () => {
    const broker = createBroker();
    const { mod } = bytesModule();
    broker.exposeModule('bytes', () => mod);
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const api = await connect(renderer).require<typeof mod>('bytes');
    const bytes = Uint8Array.from({ length: 500 }, (_, i) => i % 251);
    const got = await api.take(transfer(bytes, [bytes.buffer]));
    expect(got).toEqual({ sum: sumOf(bytes), length: 500 });
    expect(bytes.buffer.byteLength).toBe(500);
    const back = await api.give(300);
    expect(back.byteLength).toBe(300);
    expect(mod.lastGiven()).toEqual({ byteLength: 300, detached: false });
  });

  it('refuses a transfer list that is not ArrayBuffers', () => {
    expect(() => transfer(new Uint8Array(1), [new Uint8Array(1) as never])).toThrow(TypeError);
  });
});
