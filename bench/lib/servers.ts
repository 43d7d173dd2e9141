/**
 * Main-side setup for each implementation the cases compare: it starts the renderer worker
 * (`bench/.tmp/client.mjs`) and wires main's end (a remora broker, a raw echo, Comlink, birpc,
 * a hand-written dispatcher, ...).
 */
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createBirpc } from 'birpc';
import { type Broker, createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { type BenchApi, makeBenchApi } from '../api.js';
import { directDispatch } from './direct.js';
import { BenchWorker } from './harness.js';
import type { Transport } from '../../src/index.js';

/** What a case can start. */
export type ServerKind = 'remora' | 'remora-direct' | 'raw' | 'comlink' | 'birpc' | 'raw-sync' | 'raw-sync-port' | 'raw-sync-blocking' | 'synckit' | 'raw-events';

/** A started contender: the worker and main's side of it. */
export interface Started {
  readonly worker: BenchWorker;
  /** The remora broker (remora kinds). */
  readonly broker?: Broker;
  /** The API instance main serves (for emitting events). */
  readonly api: BenchApi;
  /** Main's port (raw kinds). */
  readonly port?: import('node:worker_threads').MessagePort;
  /** A helper thread the contender needs besides its renderer (the blocking Atomics echo). */
  readonly helper?: BenchWorker;
  stop(): Promise<void>;
}

const synckitServer = fileURLToPath(new URL('../workers/synckit-server.mjs', import.meta.url));

/** Start one contender and wait until its worker is ready. */
export async function start(workersDir: string, kind: ServerKind, brokerOptions?: BrokerOptions, onBroker?: (b: Broker) => void, wrap?: (t: Transport) => Transport): Promise<Started> {
  const api = makeBenchApi();
  let worker: BenchWorker;
  let broker: Broker | undefined;
  let port: import('node:worker_threads').MessagePort | undefined;
  let helper: BenchWorker | undefined;
  let extra: (() => void) | undefined;
  switch (kind) {
    case 'remora': {
      broker = createBroker(brokerOptions);
      broker.exposeModule('api', () => api);
      onBroker?.(broker);
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'remora' });
      const t = workerTransport(worker.worker);
      broker.connect(wrap ? wrap(t) : t);
      break;
    }
    case 'remora-direct': {
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'remora' });
      directDispatch(workerTransport(worker.worker), api);
      break;
    }
    case 'raw': {
      const ch = new MessageChannel();
      port = ch.port1;
      const p = ch.port1;
      p.on('message', (m: [number, number, number]) => p.postMessage([m[0], m[1] + m[2]]));
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'raw', port: ch.port2 }, [ch.port2]);
      break;
    }
    case 'comlink': {
      const ch = new MessageChannel();
      port = ch.port1;
      Comlink.expose({ add: api.add }, nodeEndpoint(ch.port1 as never));
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'comlink', port: ch.port2 }, [ch.port2]);
      break;
    }
    case 'birpc': {
      const ch = new MessageChannel();
      port = ch.port1;
      const p = ch.port1;
      createBirpc<Record<string, never>, { add(a: number, b: number): number }>({ add: api.add }, {
        post: (d) => p.postMessage(d),
        on: (fn) => {
          p.on('message', fn);
        },
      });
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'birpc', port: ch.port2 }, [ch.port2]);
      break;
    }
    case 'raw-sync': {
      const ch = new MessageChannel();
      port = ch.port1;
      const flag = new SharedArrayBuffer(8);
      const view = new Int32Array(flag);
      ch.port1.on('message', (m: [number, number]) => {
        Atomics.store(view, 1, api.add(m[0], m[1]));
        Atomics.store(view, 0, 1);
        Atomics.notify(view, 0);
      });
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'raw-sync', port: ch.port2, flag }, [ch.port2]);
      break;
    }
    case 'raw-sync-port': {
      // The event-loop floor for a reply that is a message: main answers on a second port and
      // bumps a shared counter; the worker wakes and takes the reply with receiveMessageOnPort.
      const ch = new MessageChannel();
      const reply = new MessageChannel();
      port = ch.port1;
      const flag = new SharedArrayBuffer(8);
      const view = new Int32Array(flag);
      const out = reply.port1;
      ch.port1.on('message', (m: [number, number, number]) => {
        out.postMessage([m[0], api.add(m[1], m[2])]);
        Atomics.add(view, 0, 1);
        Atomics.notify(view, 0);
      });
      extra = () => out.close();
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'raw-sync-port', port: ch.port2, replyPort: reply.port2, flag }, [ch.port2, reply.port2]);
      break;
    }
    case 'raw-sync-blocking': {
      // Both sides blocking: a thread that does nothing but Atomics.wait for a request in
      // shared memory and answer in shared memory. No message, no event loop on either side.
      const flag = new SharedArrayBuffer(32);
      // main's side of this floor: on main's core, as main's thread would be.
      helper = new BenchWorker(workersDir, 'atomics-echo.mjs', { flag }, [], 0);
      await helper.ready;
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'raw-sync-blocking', flag });
      const view = new Int32Array(flag);
      const h = helper;
      extra = () => {
        Atomics.store(view, 7, 1);
        Atomics.add(view, 0, 1);
        Atomics.notify(view, 0);
        void h.stop();
      };
      break;
    }
    case 'synckit':
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'synckit', synckitServer });
      break;
    case 'raw-events': {
      const ch = new MessageChannel();
      port = ch.port1;
      worker = new BenchWorker(workersDir, 'client.mjs', { impl: 'raw-events', port: ch.port2 }, [ch.port2]);
      break;
    }
  }
  await worker.ready;
  return {
    worker,
    broker,
    api,
    port,
    helper,
    async stop() {
      port?.close();
      extra?.();
      await worker.stop();
      broker?.close();
    },
  };
}
