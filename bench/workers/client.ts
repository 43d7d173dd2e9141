/**
 * The renderer side of the benchmark: one worker per implementation (`workerData.impl`).
 * Main sends commands (`{ cmd, re, ... }`); the worker runs the timed loop itself and answers
 * `{ re, ... }`, so every figure is measured where a renderer would feel it.
 *
 * Bundled by esbuild into `bench/.tmp/client.mjs` at bench start.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createBirpc } from 'birpc';
import { createSyncFn } from 'synckit';
import { connect, connectState, fromRemoteEvent, type RemoraClient, type Remote } from '../../src/renderer/index.js';
import { connectToMain } from '../../src/transports/worker.js';
import type { BenchApi } from '../api.js';
import type { TodosActor } from '../state-api.js';
import { InspectorProfiler } from '../lib/inspector-profile.js';
import { threadCpuUs } from '../lib/cpu.js';
import { threadId } from './thread-id.js';

/** CPU (and sampled allocation) profiling of this worker, on main's command (bench/cases/profiles.ts). */
const profiler = new InspectorProfiler();

type Impl = 'remora' | 'raw' | 'comlink' | 'birpc' | 'raw-sync' | 'raw-sync-port' | 'raw-sync-blocking' | 'synckit' | 'raw-events';
interface Data {
  impl: Impl;
  port?: MessagePort;
  replyPort?: MessagePort;
  flag?: SharedArrayBuffer;
  synckitServer?: string;
}

const data = workerData as Data;
const clock = (): number => performance.timeOrigin + performance.now();

/** The one async operation every library performs: `add(a, b)` in main. */
let add: (a: number, b: number) => Promise<number>;
/** The one sync operation: `add(a, b)` in main, blocking. */
let addSync: (a: number, b: number) => number;
let client: RemoraClient | undefined;
let api: Remote<BenchApi> | undefined;

async function setup(): Promise<void> {
  switch (data.impl) {
    case 'remora': {
      client = connect(await connectToMain(), { name: 'bench' });
      api = (await client.require<BenchApi>('api')) as unknown as Remote<BenchApi>;
      const a = api;
      add = (x, y) => a.add(x, y) as unknown as Promise<number>;
      // The sync handle is made on first use (the direct dispatcher answers async frames only).
      const c = client;
      let sync: { add(a: number, b: number): number } | undefined;
      addSync = (x, y) => (sync ??= c.remote.require<BenchApi>('api')).add(x, y);
      return;
    }
    case 'raw': {
      const port = data.port!;
      const waiting = new Map<number, (v: number) => void>();
      let nextId = 1;
      port.on('message', (m: [number, number]) => {
        const r = waiting.get(m[0])!;
        waiting.delete(m[0]);
        r(m[1]);
      });
      add = (x, y) =>
        new Promise<number>((resolve) => {
          const id = nextId++;
          waiting.set(id, resolve);
          port.postMessage([id, x, y]);
        });
      return;
    }
    case 'comlink': {
      const remote = Comlink.wrap<{ add(a: number, b: number): number }>(nodeEndpoint(data.port! as never));
      add = (x, y) => remote.add(x, y);
      return;
    }
    case 'birpc': {
      const port = data.port!;
      const rpc = createBirpc<{ add(a: number, b: number): number }, Record<string, never>>({}, {
        post: (d) => port.postMessage(d),
        on: (fn) => {
          port.on('message', fn);
        },
      });
      add = (x, y) => rpc.add(x, y);
      return;
    }
    case 'raw-sync': {
      // The physical floor of a blocking call: post the request, sleep on a shared word,
      // read the answer from shared memory.
      const port = data.port!;
      const flag = new Int32Array(data.flag!);
      addSync = (x, y) => {
        Atomics.store(flag, 0, 0);
        port.postMessage([x, y]);
        // Loop: a late notify of the previous call may wake us before this answer is in.
        while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
        return flag[1]!;
      };
      return;
    }
    case 'raw-sync-port': {
      // The event-loop floor for a reply that is a message (remora's path for any value that
      // is not a primitive): post the request, sleep on a shared counter, take the reply from a
      // second port with receiveMessageOnPort.
      const port = data.port!;
      const reply = data.replyPort!;
      const flag = new Int32Array(data.flag!);
      let nextId = 1;
      addSync = (x, y) => {
        const id = nextId++;
        let seen = Atomics.load(flag, 0);
        port.postMessage([id, x, y]);
        for (;;) {
          Atomics.wait(flag, 0, seen);
          seen = Atomics.load(flag, 0);
          for (let m = receiveMessageOnPort(reply); m; m = receiveMessageOnPort(reply)) {
            const r = m.message as [number, number];
            if (r[0] === id) return r[1];
          }
        }
      };
      return;
    }
    case 'raw-sync-blocking': {
      // Both sides blocking (bench/workers/atomics-echo.ts): request and answer in shared memory.
      const flag = new Int32Array(data.flag!);
      addSync = (x, y) => {
        flag[1] = x;
        flag[2] = y;
        const seen = Atomics.load(flag, 3);
        Atomics.add(flag, 0, 1);
        Atomics.notify(flag, 0);
        while (Atomics.load(flag, 3) === seen) Atomics.wait(flag, 3, seen);
        return flag[4]!;
      };
      return;
    }
    case 'synckit': {
      addSync = createSyncFn<(a: number, b: number) => Promise<number>>(data.synckitServer!);
      return;
    }
    case 'raw-events':
      return;
  }
}

// ------------------------------------------------------------------ commands

async function seq(n: number): Promise<{ us: number }> {
  let acc = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) acc += await add(i, 1);
  const us = ((performance.now() - t0) * 1000) / n;
  if (acc !== (n * (n - 1)) / 2 + n) throw new Error(`wrong sum ${acc}`);
  return { us };
}

async function burst(inflight: number, reps: number): Promise<{ ops: number; cpuUs: number }> {
  const c0 = threadCpuUs();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const ps = new Array<Promise<number>>(inflight);
    for (let i = 0; i < inflight; i++) ps[i] = add(i, 1);
    const out = await Promise.all(ps);
    if (out[inflight - 1] !== inflight) throw new Error('wrong result');
  }
  return { ops: (inflight * reps * 1000) / (performance.now() - t0), cpuUs: (threadCpuUs() - c0) / (inflight * reps) };
}

function syncSeq(n: number): { us: number } {
  let acc = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) acc += addSync(i, 1);
  const us = ((performance.now() - t0) * 1000) / n;
  if (acc !== (n * (n - 1)) / 2 + n) throw new Error(`wrong sum ${acc}`);
  return { us };
}

async function pipe(mode: 'one' | 'chain' | 'awaited', n: number): Promise<{ us: number }> {
  const a = api!;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    let v: number;
    if (mode === 'one') v = (await a.add(3, 0)) as number;
    else if (mode === 'chain') v = (await a.link(0).next().next().next().value()) as number;
    else {
      const l0 = await a.link(0);
      const l1 = await l0.next();
      const l2 = await l1.next();
      const l3 = await l2.next();
      v = (await l3.value()) as number;
    }
    if (v !== 3) throw new Error(`wrong pipeline result ${v}`);
  }
  return { us: ((performance.now() - t0) * 1000) / n };
}

// Event streams: main emits timestamps; the worker counts them and measures latency.
let expectEvents: { n: number; got: number; lat: Float64Array; done: () => void } | undefined;
function onEvent(sent: number): void {
  const e = expectEvents;
  if (!e) return;
  e.lat[e.got++] = clock() - sent;
  if (e.got === e.n) {
    expectEvents = undefined;
    e.done();
  }
}
let eventsReady: Promise<void> | undefined;
function subscribeEvents(): Promise<void> {
  if (data.impl === 'raw-events') {
    data.port!.on('message', (batch: Float64Array) => {
      for (let i = 0; i < batch.length; i++) onEvent(batch[i]!);
    });
    return Promise.resolve();
  }
  fromRemoteEvent<number>(api!.emitter, 'tick').subscribe((v) => onEvent(v));
  // The subscription reaches main with the next flush; one round trip later it is in place.
  return (api!.add(0, 0) as unknown as Promise<number>).then(() => undefined);
}

function expect(n: number): Promise<{ first: number; last: number; p50: number; p99: number }> {
  return new Promise((resolve) => {
    const lat = new Float64Array(n);
    expectEvents = {
      n,
      got: 0,
      lat,
      done: () => {
        const last = clock();
        lat.sort();
        resolve({ first: 0, last, p50: lat[Math.floor(n * 0.5)]!, p99: lat[Math.min(n - 1, Math.floor(n * 0.99))]! });
      },
    };
  });
}

let gc: (() => void) | undefined;
function getGc(): () => void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return gc;
}
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Create `rounds * size` handles (main objects by reference), dropping each batch; GC as we go. */
async function lifetime(rounds: number, size: number, gcEvery: number): Promise<{ ms: number; handles: number }> {
  const collect = getGc();
  const a = api!;
  let handles = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const items = (await a.items(size)) as unknown as unknown[];
    handles += items.length;
    if ((r + 1) % gcEvery === 0) {
      collect();
      await tick(1);
    }
  }
  const ms = performance.now() - t0;
  await settleGc();
  return { ms, handles };
}

async function settleGc(): Promise<void> {
  const collect = getGc();
  for (let i = 0; i < 4; i++) {
    collect();
    await tick(5);
  }
  client!.connection.lifetime.flush();
  await tick(1);
}

/**
 * State actor `name` (default `todos`, `items` items): `n` toggles, each awaited (`inflight` 1)
 * or `inflight` at a time; actions applied and replicated per second, and µs per action.
 */
const replicas = new Map<string, Awaited<ReturnType<typeof connectState<TodosActor>>>>();
async function state(n: number, inflight: number, name = 'todos', items = 10_000): Promise<{ ups: number; us: number; cpuUs: number; version: number }> {
  let t = replicas.get(name);
  if (!t) {
    t = await connectState<TodosActor>(client!, name);
    replicas.set(name, t);
  }
  const c0 = threadCpuUs();
  const t0 = performance.now();
  for (let done = 0; done < n; done += inflight) {
    const k = Math.min(inflight, n - done);
    if (k === 1) await t.dispatch('toggle', (done * 7919) % items);
    else {
      const ps = new Array<Promise<number>>(k);
      for (let i = 0; i < k; i++) ps[i] = t.dispatch('toggle', ((done + i) * 7919) % items);
      await Promise.all(ps);
    }
  }
  const ms = performance.now() - t0;
  return { ups: (n * 1000) / ms, us: (ms * 1000) / n, cpuUs: (threadCpuUs() - c0) / n, version: t.version, ...t.stats };
}

parentPort!.on('message', async (m: { cmd?: string; re?: number; [k: string]: any }) => {
  if (!m || typeof m.cmd !== 'string') return;
  const re = m.re;
  try {
    let r: object;
    switch (m.cmd) {
      case 'seq': r = await seq(m.n); break;
      case 'burst': r = await burst(m.inflight, m.reps); break;
      case 'sync': r = syncSeq(m.n); break;
      case 'pipe': r = await pipe(m.mode, m.n); break;
      case 'subscribe': await (eventsReady ??= subscribeEvents()); r = {}; break;
      case 'expect': {
        const done = expect(m.n);
        parentPort!.postMessage({ re, armed: true });
        r = await done;
        parentPort!.postMessage({ re: m.re2, ...r });
        return;
      }
      case 'lifetime': r = await lifetime(m.rounds, m.size, m.gcEvery); break;
      case 'state': r = await state(m.n, m.inflight, m.name, m.items); break;
      case 'profStart': await profiler.start(m.heap === true); r = {}; break;
      case 'profStop': r = await profiler.stop(); break;
      case 'gc': await settleGc(); r = { held: client!.connection.lifetime.size }; break;
      default: throw new Error(`unknown command ${m.cmd}`);
    }
    parentPort!.postMessage({ re, ...r });
  } catch (e) {
    parentPort!.postMessage({ re, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
});

await setup();
parentPort!.postMessage({ ready: true, tid: threadId() });
