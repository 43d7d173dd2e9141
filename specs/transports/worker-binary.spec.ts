/**
 * Issue 16 item 13, across a real worker thread: binary a renderer sends arrives in main as an
 * immutable snapshot, even when the renderer built it on a SharedArrayBuffer it keeps writing.
 * A validate-then-use handler must use what it validated.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { workerTransport } from '../../src/transports/worker.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const RENDERER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m === 'overwrite') {
    const v = globalThis.view;
    v.fill(0);
    v.set(Buffer.from('../../etc/x'));
    parentPort.postMessage('overwritten');
    return;
  }
  if (!m || !m.__remora_connect__) return;
  const { port } = m.__remora_connect__;
  port.on('message', (f) => {
    for (const x of f.t === 'batch' ? f.f : [f]) if (x.id === 2) parentPort.postMessage({ reply: x });
  });
  globalThis.view = new Uint8Array(new SharedArrayBuffer(16));
  globalThis.view.set(Buffer.from('clean-name'));
  port.postMessage({ t: 'hello', v: ${PROTOCOL_VERSION}, gen: 0 });
  port.postMessage({ t: 'batch', f: [{ t: 'require', id: 1, name: 'files', k: 1 }, { t: 'apply', id: 2, on: 1, path: ['save'], args: [['t', 'Uint8Array', globalThis.view]] }] });
});`;

describe('worker binary (issue 16 item 13)', () => {
  it('hands main a copy of binary built on a SharedArrayBuffer, so what a handler validated is what it uses', async () => {
    const w = new Worker(RENDERER, { eval: true });
    workers.push(w);
    const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8').replace(/\0+$/, '');
    const used: string[] = [];
    const broker = createBroker();
    broker.exposeModule('files', () => ({
      save: async (b: Uint8Array) => {
        const name = text(b);
        if (!/^[a-z-]+$/.test(name)) throw new Error(`bad name ${name}`);
        // The renderer writes its buffer after main validated it.
        const done = new Promise((r) => w.on('message', (m) => m === 'overwritten' && r(undefined)));
        w.postMessage('overwrite');
        await done;
        used.push(text(b));
        return { used: text(b), shared: b.buffer instanceof SharedArrayBuffer };
      },
    }));
    const reply = new Promise<any>((r) => w.on('message', (m) => m?.reply && r(m.reply)));
    broker.connect(workerTransport(w));
    const r = await reply;
    console.log('[item 13: SharedArrayBuffer binary over the worker transport]', JSON.stringify({ reply: r, used }));
    expect(used).toEqual(['clean-name']);
    expect(r).toMatchObject({ t: 'ok', id: 2 });
    expect(JSON.stringify(r.v)).not.toContain('"shared",true');
  });
});
