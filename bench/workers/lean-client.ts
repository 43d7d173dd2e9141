/**
 * The renderer of the scale, payload and transfer cases: a lean worker (remora's renderer and
 * worker transport, nothing else), so a hundred of them start fast and cost little. Each worker
 * holds a remora connection and a raw MessagePort to main, and runs whichever the command names.
 *
 * Raw protocol on the port (main's side in bench/lib/fleet.ts): `[0, id, a, b]` answers
 * `[id, a + b]`; `[1, id, value]` answers `[id, value]` (structured clone both ways);
 * `[2, id, buffer]` answers `[id, buffer]`, the buffer transferred both ways (zero copy).
 * remora with `transfer`: `api.echoMoved(transfer(buf, [buf]))`, main returning it with
 * `transfer(v, [v])`: the buffer moves both ways through remora too.
 *
 * Bundled by esbuild into `bench/.tmp/lean-client.mjs` at bench start.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { connect, transfer as moved, type Remote } from '../../src/renderer/index.js';
import { connectToMain } from '../../src/transports/worker.js';
import type { BenchApi } from '../api.js';
import { threadId } from './thread-id.js';

type Impl = 'remora' | 'raw';
const data = workerData as { port: MessagePort; index: number };
const port = data.port;

const waiting = new Map<number, (v: unknown) => void>();
let nextId = 1;
port.on('message', (m: [number, unknown]) => {
  const r = waiting.get(m[0]);
  waiting.delete(m[0]);
  r?.(m[1]);
});
function rawAsk<T>(op: number, a: unknown, b?: number, transfer?: ArrayBuffer): Promise<T> {
  return new Promise<T>((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve as (v: unknown) => void);
    if (transfer) port.postMessage([op, id, a], [transfer]);
    else port.postMessage(op === 0 ? [op, id, a, b] : [op, id, a]);
  });
}

let api: Remote<BenchApi>;

function addOf(impl: Impl): (a: number, b: number) => Promise<number> {
  return impl === 'raw' ? (a, b) => rawAsk<number>(0, a, b) : (a, b) => api.add(a, b) as unknown as Promise<number>;
}

/** Sequential calls for `ms` milliseconds; latencies kept when `probe`. */
async function load(impl: Impl, ms: number, probe: boolean): Promise<{ calls: number; elapsedMs: number; p50?: number; p99?: number }> {
  const add = addOf(impl);
  const lat: number[] = [];
  const t0 = performance.now();
  const end = t0 + ms;
  let calls = 0;
  let now = t0;
  while (now < end) {
    const c0 = now;
    const v = await add(calls, 1);
    if (v !== calls + 1) throw new Error(`wrong result ${v}`);
    calls++;
    now = performance.now();
    if (probe) lat.push((now - c0) * 1000);
  }
  const elapsedMs = now - t0;
  if (!probe) return { calls, elapsedMs };
  lat.sort((a, b) => a - b);
  return { calls, elapsedMs, p50: lat[Math.floor(lat.length * 0.5)]!, p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]! };
}

type Kind = 'string' | 'object' | 'arraybuffer';
const payloads = new Map<string, unknown>();
/** A value of about `size` bytes: a string, an array of small records, or an ArrayBuffer. */
function payload(kind: Kind, size: number): unknown {
  const key = `${kind}:${size}`;
  let v = payloads.get(key);
  if (v !== undefined) return v;
  if (kind === 'string') v = 'x'.repeat(size);
  else if (kind === 'arraybuffer') v = new ArrayBuffer(size);
  else {
    // ~64 bytes of JSON per record.
    const n = Math.max(1, Math.round(size / 64));
    v = Array.from({ length: n }, (_, i) => ({ id: i, name: `record ${i % 1000}`, done: i % 2 === 0, score: i * 0.5 }));
  }
  payloads.set(key, v);
  return v;
}
const sizeOf = (v: unknown): number => (typeof v === 'string' ? v.length : v instanceof ArrayBuffer ? v.byteLength : (v as unknown[]).length);

/** `n` sequential echoes of a payload; µs per round trip. `transfer`: the buffer moves both ways (raw transferList, or remora's `transfer()`). */
async function echo(impl: Impl, kind: Kind, size: number, n: number, transfer: boolean): Promise<{ us: number }> {
  let v = payload(kind, size);
  const want = sizeOf(v);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    let back: unknown;
    if (impl === 'raw') back = transfer ? await rawAsk(2, v, undefined, v as ArrayBuffer) : await rawAsk(1, v);
    else if (transfer) back = await (api.echoMoved(moved(v as ArrayBuffer, [v as ArrayBuffer])) as unknown as Promise<unknown>);
    else back = await (api.echo(v) as unknown as Promise<unknown>);
    if (sizeOf(back) !== want) throw new Error(`echo came back with size ${sizeOf(back)}, sent ${want}`);
    if (transfer) v = back;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  if (transfer) payloads.set(`${kind}:${size}`, v);
  return { us };
}

parentPort!.on('message', async (m: { cmd?: string; re?: number; [k: string]: any }) => {
  if (!m || typeof m.cmd !== 'string') return;
  try {
    let r: object;
    switch (m.cmd) {
      case 'load': r = await load(m.impl, m.ms, m.probe === true); break;
      case 'echo': r = await echo(m.impl, m.kind, m.size, m.n, m.transfer === true); break;
      case 'drop': payloads.clear(); r = {}; break;
      default: throw new Error(`unknown command ${m.cmd}`);
    }
    parentPort!.postMessage({ re: m.re, ...r });
  } catch (e) {
    parentPort!.postMessage({ re: m.re, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
});

const client = connect(await connectToMain(), { name: `lean-${data.index}` });
api = (await client.require<BenchApi>('api')) as unknown as Remote<BenchApi>;
parentPort!.postMessage({ ready: true, tid: threadId() });
