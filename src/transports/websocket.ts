/**
 * `remora/transports/websocket`: main's side of renderers in real browser pages.
 *
 * {@link listenWebSocket} starts a loopback HTTP server that speaks remora on two channels:
 *
 * - a **WebSocket** at `path` (default `/remora`) carrying JSON frames (binary data travels as
 *   base64) — the default, asynchronous channel. One socket is one session; when the socket
 *   closes the session ends and releases everything the page held. Close reasons: 1001
 *   (reload, navigation, tab close, renderer crash) is kind `going-away`; a drop without a
 *   close frame is `crashed`; 1000 is `closed`.
 * - a **sync endpoint** at `path + '/sync'`: a page's main thread cannot `Atomics.wait`, so the
 *   compatibility (synchronous) calls are a synchronous XHR POST carrying one frame. The
 *   request names the session key main issued on the socket, so it is routed into the same
 *   session and answered through `replySync`. This is the slow path (a few ms per call);
 *   prefer the async API.
 *
 * Every connection must present the per-app token (WebSocket sub-protocol
 * `remora-token.<token>`, or the `x-remora-token` header on the sync endpoint) and, when it
 * comes from a browser, an allowed `Origin`; anything else is refused with an HTTP error
 * before a socket exists or a frame is routed. Hand the token to the page in the URL fragment
 * ({@link WebSocketHost.pageUrl}): fragments never travel over HTTP, so no local process can
 * read the token off the server. The page side is `remora/transports/websocket-page`.
 *
 * This file is the server: it listens, routes HTTP requests and upgrades, accepts sockets as
 * sessions and keeps them alive. Its parts have their own files: the gate (`websocket-auth.ts`),
 * the sync endpoint (`websocket-sync.ts`), main's end of one socket (`websocket-transport.ts`)
 * and what both ends agree on (`websocket-wire.ts`).
 *
 * @example
 * ```ts
 * import { createBroker } from 'remora/main';
 * import { listenWebSocket } from 'remora/transports/websocket';
 *
 * const broker = createBroker();
 * broker.exposeModule('clock', () => ({ now: () => Date.now() }));
 * const host = await listenWebSocket({ broker, serve: (req, res) => servePage(req, res) });
 * await browserWindow.loadURL(host.pageUrl('/index.html')); // carries the token in the fragment
 * ```
 * @module remora/transports/websocket
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import * as errors from '../errors/factories.js';
import type { Transport } from '../transport.js';
import { AccessGate, tokenOf } from './websocket-auth.js';
import { CONNECTION_DEFAULTS, ConnectionBudget, refuseUpgrade } from './websocket-connections.js';
import { endError, syncEndpoint } from './websocket-sync.js';
import { DEFAULT_MAX_BUFFERED_BYTES, WebSocketMainTransport } from './websocket-transport.js';
import { DEFAULT_WS_PATH, type SessionKeyMessage, SYNC_PATH_SUFFIX, TOKEN_FRAGMENT, WS_PROTOCOL } from './websocket-wire.js';

export { TOKEN_FRAGMENT, WS_PROTOCOL, WS_TOKEN_PREFIX } from './websocket-wire.js';

/** Anything that accepts renderer connections: a `Broker` from `remora/main`. */
export interface ConnectionAcceptor {
  /**
   * Take one authenticated socket as a renderer session. `info` is
   * `{ transport: 'websocket', origin, remoteAddress, userAgent }`; the result is ignored.
   */
  connect(transport: Transport, info: Record<string, unknown>): unknown;
  /** The acceptor's frame limit, when it has one: `maxPayload` defaults from it. */
  readonly limits?: {
    /** Approximate bytes of values in one inbound frame (a broker's `limits.maxFrameBytes`; default 16 MiB). */
    readonly maxFrameBytes?: number;
  };
}

/** The frame limit assumed when the acceptor states none (the broker's default). */
const DEFAULT_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * The default largest inbound message for a frame limit of `frameBytes`: room for the limit's
 * values as base64 (4/3) plus 1 MiB of frame around them.
 */
export function wireBytesFor(frameBytes: number): number {
  return Math.ceil((frameBytes * 4) / 3) + 1024 * 1024;
}

/** Options of {@link listenWebSocket}. */
export interface WebSocketHostOptions {
  /** Accepts each authenticated connection (usually the broker). */
  broker: ConnectionAcceptor;
  /** Interface to bind. Default `127.0.0.1`. Anything but loopback needs `allowNonLoopback`. */
  host?: string;
  /** Port. Default 0 (a free port). */
  port?: number;
  /** The per-app token. Default: 32 random bytes, hex. Must be hex, base64url or similar token characters. */
  token?: string;
  /**
   * Origins allowed to connect (exact `scheme://host:port` strings). Default: this server's
   * own origins (`http://127.0.0.1:<port>` and `http://localhost:<port>`).
   */
  allowedOrigins?: readonly string[];
  /**
   * Accept connections without an `Origin` header (non-browser clients that still present the
   * token). Default false: every connection must come from an allowed origin.
   */
  allowMissingOrigin?: boolean;
  /** Path of the WebSocket; the sync endpoint is `path + '/sync'`. Default `/remora`. */
  path?: string;
  /** Serves every other HTTP request (the page, its bundle). Default: 404. */
  serve?: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Largest inbound message or sync request body, in bytes, enforced before it is read: a
   * socket message over it closes the socket (1009, kind `too-large`) from its header; a sync
   * body over it is answered 413 `E_FRAME_TOO_LARGE`. Default: the broker's
   * `limits.maxFrameBytes` as base64 plus 1 MiB ({@link wireBytesFor}; 22.3 MiB for 16 MiB).
   */
  maxPayload?: number;
  /**
   * Bytes that may wait on one socket (the page is not reading) before main closes it as a
   * slow consumer (`E_SLOW_CONSUMER`; its session ends). Default 32 MiB.
   */
  maxBufferedBytes?: number;
  /** Open TCP connections the server keeps; over it new ones are dropped at once. Default 256. */
  maxConnections?: number;
  /**
   * Connections that have not sent a complete request head yet; a new one over it drops the
   * oldest. Default 32.
   */
  maxHandshakes?: number;
  /** Longest a connection may take to send its request head, and a sync body to arrive. Default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** Sync request bodies read at the same time; over it, 503 `E_TOO_MANY_CONNECTIONS`. Default 8. */
  maxSyncBodies?: number;
  /** Ping interval; a socket that misses a pong is dropped. Default 30 000 ms; 0 disables. */
  heartbeatMs?: number;
  /** Longest a sync request may wait for its reply, whatever the page asks. Default 120 000 ms. */
  maxSyncWaitMs?: number;
  /** Bind to a non-loopback interface anyway (exposes the app to the network). Default false. */
  allowNonLoopback?: boolean;
}

/** A running WebSocket host. */
export interface WebSocketHost {
  /** The HTTP server (also serving `serve`'s requests). */
  readonly server: Server;
  /** The port it listens on. */
  readonly port: number;
  /** `http://127.0.0.1:<port>` (or the bound host). */
  readonly origin: string;
  /** The WebSocket URL pages connect to. */
  readonly wsUrl: string;
  /** The per-app token. */
  readonly token: string;
  /** Open sockets (one per connected page). */
  readonly connections: number;
  /**
   * The URL to open a page at: `origin + path` with the token in the fragment
   * (`#remora-token=...`), where the page side finds it.
   */
  pageUrl(path?: string): string;
  /** Close every socket (their sessions end) and stop listening. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Start the loopback HTTP + WebSocket server renderers in browser pages connect to. Each
 * authenticated socket becomes one session of `options.broker`, with `info`
 * `{ transport: 'websocket', origin, remoteAddress, userAgent }`.
 * @throws RemoraError `E_DENIED` when asked to bind a non-loopback interface without `allowNonLoopback`.
 */
export async function listenWebSocket(options: WebSocketHostOptions): Promise<WebSocketHost> {
  const bindHost = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(bindHost) && !options.allowNonLoopback) {
    throw errors.denied({ what: `refusing to bind ${bindHost}, which is not a loopback interface`, advice: 'Pass allowNonLoopback: true if the app must be reachable from the network.' });
  }
  const token = tokenOf(options.token);
  const path = options.path ?? DEFAULT_WS_PATH;
  const maxPayload = options.maxPayload ?? wireBytesFor(options.broker.limits?.maxFrameBytes ?? DEFAULT_FRAME_BYTES);
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? CONNECTION_DEFAULTS.handshakeTimeoutMs;
  const gate = new AccessGate(token, options.allowedOrigins, options.allowMissingOrigin === true);
  const sessions = new Map<string, WebSocketMainTransport>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const heartbeat = new Heartbeat(wss);

  const accept = (ws: WebSocket, req: IncomingMessage): void => {
    const key = randomBytes(18).toString('base64url');
    const t = new WebSocketMainTransport(ws, key, maxBufferedBytes);
    sessions.set(key, t);
    heartbeat.watch(ws);
    t.closed$.subscribe(() => sessions.delete(key));
    const hello: SessionKeyMessage = { remora: 'session', key };
    ws.send(JSON.stringify(hello));
    options.broker.connect(t, {
      transport: 'websocket',
      origin: req.headers.origin,
      remoteAddress: req.socket.remoteAddress,
      userAgent: req.headers['user-agent'],
    });
  };

  const sync = syncEndpoint({
    gate, sessions, maxPayload,
    maxSyncWaitMs: options.maxSyncWaitMs ?? 120_000,
    maxSyncBodies: options.maxSyncBodies ?? 8,
    bodyTimeoutMs: handshakeTimeoutMs,
  });
  const server = createServer(routeRequests(`${path}${SYNC_PATH_SUFFIX}`, sync, options.serve));
  const budget = new ConnectionBudget(server, {
    maxConnections: options.maxConnections ?? CONNECTION_DEFAULTS.maxConnections,
    maxHandshakes: options.maxHandshakes ?? CONNECTION_DEFAULTS.maxHandshakes,
    handshakeTimeoutMs,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return refuseUpgrade(socket, 404, 'Not Found');
    const refusal = gate.refuseUpgrade(req.headers);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.text);
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  await listen(server, options.port ?? 0, bindHost);
  const port = (server.address() as AddressInfo).port;
  const hostPart = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${hostPart}:${port}`;
  gate.useOwnOrigins([origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  heartbeat.start(options.heartbeatMs ?? 30_000);

  return {
    server,
    port,
    origin,
    wsUrl: `ws://${hostPart}:${port}${path}`,
    token,
    get connections() {
      return wss.clients.size;
    },
    pageUrl: (p = '/') => `${origin}${p.startsWith('/') ? p : `/${p}`}#${TOKEN_FRAGMENT}=${token}`,
    close: async () => {
      heartbeat.stop();
      budget.stop();
      for (const t of [...sessions.values()]) t.close({ kind: 'shutdown', detail: 'main is shutting down' });
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The HTTP handler: the sync endpoint at `syncPath`, everything else to `serve` (or 404). */
function routeRequests(
  syncPath: string,
  sync: (req: IncomingMessage, res: ServerResponse) => void,
  serve: WebSocketHostOptions['serve'],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === syncPath) {
      sync(req, res);
      return;
    }
    if (serve) serve(req, res);
    else endError(res, 'E_NO_OBJECT', 'not found');
  };
}

/** Listen on `port` at `host`; rejects with the server's first error. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Pings every socket each interval; a socket that did not answer the previous ping with a pong
 * is terminated (its session ends as `crashed`).
 */
class Heartbeat {
  private readonly alive = new WeakSet<WebSocket>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly wss: WebSocketServer) {}

  /** Count `ws` alive now and on every pong. */
  watch(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
  }

  /** Start pinging every `ms` (0 disables). The timer does not keep the process alive. */
  start(ms: number): void {
    if (ms <= 0) return;
    this.timer = setInterval(() => this.beat(), ms);
    this.timer.unref();
  }

  /** Stop pinging. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
