/**
 * Shared parts of the transport hardening specs: a real WebSocket host on loopback with a
 * broker behind it, `ws` clients (a healthy one that measures its own call latency, and
 * hostile ones), and a watch on main's memory and event loop while an attack runs. The specs
 * print the figures (docs/reliability.md quotes them); they assert bounds, not exact numbers.
 */
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { createBroker } from '../../src/entries/main.js';
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { listenWebSocket, WS_PROTOCOL, WS_TOKEN_PREFIX, type WebSocketHost, type WebSocketHostOptions } from '../../src/transports/websocket.js';

const MiB = 1024 * 1024;

/** What main's process did during an attack: growth over the baseline and the longest stall. */
export interface MainFigures {
  rssMiB: number;
  heapMiB: number;
  externalMiB: number;
  maxStallMs: number;
}

/** Start watching main's memory (sampled every 10 ms) and event-loop delay; `stop()` gives the figures. */
export function watchMain(): { stop(): MainFigures } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  let external = base.external + base.arrayBuffers;
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
    external = Math.max(external, m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 10);
  return {
    stop() {
      sample();
      clearInterval(timer);
      loop.disable();
      const r = (n: number): number => Math.round(n * 10) / 10;
      return {
        rssMiB: r((rss - base.rss) / MiB),
        heapMiB: r((heap - base.heapUsed) / MiB),
        externalMiB: r((external - base.external - base.arrayBuffers) / MiB),
        maxStallMs: r(loop.max / 1e6),
      };
    },
  };
}

/** A broker behind a real WebSocket host, with an `api` module (`add`, `big(n)`: a string of n bytes). */
export async function wsHost(options: Partial<WebSocketHostOptions> = {}, limits: Record<string, number> = {}) {
  const broker = createBroker({ limits });
  broker.exposeModule('api', () => ({
    add: (a: number, b: number) => a + b,
    big: (n: number) => 'x'.repeat(n),
  }));
  const closed: Array<{ kind: string; code?: string }> = [];
  broker.inspect$.subscribe((e) => {
    if (e.kind === 'session-closed') closed.push({ kind: String(e.detail) });
  });
  const host = await listenWebSocket({ broker, heartbeatMs: 0, ...options });
  return { broker, host, closed };
}

/** Open an authenticated socket; resolves once main issued the session key. */
export async function openSocket(host: WebSocketHost): Promise<{ ws: WebSocket; key: string }> {
  const ws = new WebSocket(host.wsUrl, [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token], { origin: host.origin });
  const first = await new Promise<any>((resolve, reject) => {
    ws.once('message', (d) => resolve(JSON.parse(d.toString())));
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
  });
  return { ws, key: first.key };
}

/** A renderer over a real socket speaking raw frames: hello, `require('api')` as ref 1, then calls. */
export class RawClient {
  private nextId = 10;
  private readonly waiting = new Map<number, (f: any) => void>();

  private constructor(readonly ws: WebSocket, readonly key: string) {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      for (const f of m.t === 'batch' ? m.f : [m]) {
        const w = this.waiting.get(f.id);
        if (w) {
          this.waiting.delete(f.id);
          w(f);
        }
      }
    });
  }

  /** Connect, say hello and require the api (ref 1). */
  static async connect(host: WebSocketHost): Promise<RawClient> {
    const { ws, key } = await openSocket(host);
    const c = new RawClient(ws, key);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
    await c.call({ t: 'require', name: 'api' }, 1);
    return c;
  }

  /** Send a request frame and wait for its reply. */
  call(frame: Record<string, unknown>, id = this.nextId++): Promise<any> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** Call `api[method](...args)` without waiting for the reply. */
  fire(method: string, args: unknown[]): void {
    this.ws.send(JSON.stringify({ t: 'apply', id: this.nextId++, ref: 1, path: [method], args }));
  }
}

/** A healthy renderer calling `add` in a loop, recording each call's latency, until stopped. */
export async function healthyProbe(host: WebSocketHost): Promise<{ stop(): Promise<{ calls: number; p50Ms: number; maxMs: number; failed: number }> }> {
  const c = await RawClient.connect(host);
  const lat: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const r = await Promise.race([c.call({ t: 'apply', ref: 1, path: ['add'], args: [2, 3] }), new Promise((res) => setTimeout(() => res(undefined), 5000))]);
      if ((r as { v?: unknown } | undefined)?.v === 5) lat.push(performance.now() - t0);
      else failed++;
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      c.ws.terminate();
      const sorted = [...lat].sort((a, b) => a - b);
      const r = (n: number | undefined): number => Math.round((n ?? NaN) * 100) / 100;
      return { calls: lat.length, p50Ms: r(sorted[Math.floor(sorted.length / 2)]), maxMs: r(sorted[sorted.length - 1]), failed };
    },
  };
}

/** Wait `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run a GC when exposed (vitest runs with --expose-gc), so baselines are comparable. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Run hostile client code in a separate Node process (CommonJS, `ws` resolvable), so its own
 * allocations do not count in main's figures. `env` is passed through; resolves with its stdout
 * lines once it exits, or when `until` matches a line.
 */
export function attacker(code: string, env: Record<string, string>, until?: RegExp): { done: Promise<string[]>; kill(): void } {
  const child = spawn(process.execPath, ['-e', code], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const done = new Promise<string[]>((resolve) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const l of parts) {
        lines.push(l);
        if (until?.test(l)) resolve(lines);
      }
    });
    child.once('exit', () => resolve(lines));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}
