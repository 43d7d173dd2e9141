/**
 * Many renderers on one main: start `n` lean workers (bench/workers/lean-client.ts), each
 * connected both to one remora broker and to a raw MessagePort echo on main, for the scale,
 * payload and transfer cases.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { type Broker, createBroker, type BrokerOptions } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { makeBenchApi } from '../api.js';
import { BenchWorker } from './harness.js';

/** The started workers and main's side. */
export interface Fleet {
  readonly workers: readonly BenchWorker[];
  readonly broker: Broker;
  stop(): Promise<void>;
}

/** Main's end of the raw protocol (see bench/workers/lean-client.ts). */
function rawEcho(p: MessagePort, add: (a: number, b: number) => number): void {
  p.on('message', (m: [number, number, unknown, number?]) => {
    if (m[0] === 0) p.postMessage([m[1], add(m[2] as number, m[3]!)]);
    else if (m[0] === 1) p.postMessage([m[1], m[2]]);
    else p.postMessage([m[1], m[2]], [m[2] as ArrayBuffer]);
  });
}

/** Start `n` renderers (in parallel) and wait until all are connected. */
export async function startFleet(workersDir: string, n: number, brokerOptions?: BrokerOptions): Promise<Fleet> {
  const api = makeBenchApi();
  const broker = createBroker(brokerOptions);
  broker.exposeModule('api', () => api);
  const ports: MessagePort[] = [];
  const workers: BenchWorker[] = [];
  for (let i = 0; i < n; i++) {
    const ch = new MessageChannel();
    rawEcho(ch.port1, api.add);
    ports.push(ch.port1);
    // Not pinned: 10 or 100 renderers on one core would measure that core, not main.
    const w = new BenchWorker(workersDir, 'lean-client.mjs', { port: ch.port2, index: i }, [ch.port2], null);
    broker.connect(workerTransport(w.worker));
    workers.push(w);
  }
  const stop = async (): Promise<void> => {
    for (const p of ports) p.close();
    await Promise.all(workers.map((w) => w.stop()));
    broker.close();
  };
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (e) {
    await stop();
    throw e;
  }
  return { workers, broker, stop };
}
