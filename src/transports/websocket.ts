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
 * @packageDocumentation
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { RemoraError } from '../errors.js';
import type { CloseReason, Transport } from '../transport.js';
import { TransportEnd } from './transport-end.js';

/** The WebSocket sub-protocol remora speaks (the page offers it, main selects it). */
export const WS_PROTOCOL = 'remora.1';
/** Prefix of the sub-protocol entry that carries the token: `remora-token.<token>`. */
export const WS_TOKEN_PREFIX = 'remora-token.';
/** Name of the URL-fragment parameter that hands the token to a page. */
export const TOKEN_FRAGMENT = 'remora-token';

/** Anything that accepts renderer connections: a `Broker` from `remora/main`. */
export interface ConnectionAcceptor {
  connect(transport: Transport, info: Record<string, unknown>): unknown;
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
  /** Largest inbound message or sync request body, in bytes. Default 64 MiB. */
  maxPayload?: number;
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

/** A sync request waiting for its reply: the HTTP response to answer, and its deadline. */
interface SyncWaiter {
  readonly res: ServerResponse;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** What main sends first on every socket: the key sync requests name to reach this session. */
interface SessionKeyMessage {
  remora: 'session';
  key: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Main's end of one page's socket. */
class WebSocketMainTransport extends TransportEnd implements Transport {
  readonly binary = 'base64' as const;
  /** Messages received on the socket so far (sync requests wait until they caught up). */
  received = 0;
  private readonly waiting = new Map<number, SyncWaiter>();
  /** Sync requests waiting for the socket to catch up with the page (`seq`). */
  private parked: { seq: number; frame: { id: number } }[] = [];

  constructor(private readonly ws: WebSocket, readonly key: string) {
    super();
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.once('close', (code: number, reason: Buffer) => this.ended(closeReasonOf(code, reason.toString())));
    ws.once('error', (e: Error) => this.ended({ kind: 'error', detail: e.message }));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.isClosed) return;
    if (isBinary) {
      this.close({ kind: 'error', detail: 'binary WebSocket messages are not part of the remora protocol' }, 1003);
      return;
    }
    let m: unknown;
    try {
      m = JSON.parse(data.toString());
    } catch {
      this.close({ kind: 'error', detail: 'a WebSocket message was not JSON' }, 1007);
      return;
    }
    this.received++;
    this.push(m);
    if (this.parked.length) this.unpark();
  }

  send(message: unknown): void {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(message));
  }

  /**
   * A sync request arrived over HTTP. It is routed once the socket delivered every message the
   * page sent before it (`seq`), so it never overtakes the page's earlier async frames. Its
   * deadline runs from now, parked or not.
   */
  syncRequest(seq: number, frame: { id: number }, res: ServerResponse, timeoutMs: number): void {
    const id = frame.id;
    if (this.waiting.has(id)) {
      endJson(res, 409, { code: 'E_PROTOCOL', message: `request id ${id} is already waiting` });
      return;
    }
    if (this.isClosed) {
      endJson(res, 410, { code: 'E_CLOSED', message: 'the session ended' });
      return;
    }
    const forget = (): boolean => {
      const w = this.waiting.get(id);
      if (w?.res !== res) return false;
      clearTimeout(w.timer);
      this.waiting.delete(id);
      this.parked = this.parked.filter((p) => p.frame !== frame);
      return true;
    };
    const timer = setTimeout(() => {
      if (forget()) endJson(res, 504, { code: 'E_TIMEOUT', message: `no reply within ${timeoutMs} ms` });
    }, timeoutMs);
    this.waiting.set(id, { res, timer });
    res.once('close', forget);
    // Whatever arrives here is synchronous: mark it so the session answers through replySync.
    (frame as { s?: 1 }).s = 1;
    if (this.received >= seq) this.push(frame);
    else this.parked.push({ seq, frame });
  }

  private unpark(): void {
    const ready = this.parked.filter((p) => p.seq <= this.received);
    if (!ready.length) return;
    this.parked = this.parked.filter((p) => p.seq > this.received);
    for (const p of ready) this.push(p.frame);
  }

  replySync(message: unknown): void {
    const id = (message as { id?: unknown }).id;
    const w = typeof id === 'number' ? this.waiting.get(id) : undefined;
    if (!w) {
      // Not waiting over HTTP (e.g. it timed out, or a page sent `s: 1` on the socket): use the socket.
      this.send(message);
      return;
    }
    this.waiting.delete(id as number);
    clearTimeout(w.timer);
    endJson(w.res, 200, message);
  }

  override ended(reason: CloseReason): void {
    if (this.isClosed) return;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      endJson(w.res, 410, { code: 'E_CLOSED', message: `the session ended (${reason.kind})` });
    }
    this.waiting.clear();
    this.parked = [];
    super.ended(reason);
  }

  close(reason: CloseReason = { kind: 'closed' }, code = reason.kind === 'shutdown' ? 1001 : 1000): void {
    if (this.isClosed) return;
    this.ended(reason);
    try {
      this.ws.close(code, (reason.detail ?? reason.kind).slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }
}

function closeReasonOf(code: number, reason: string): CloseReason {
  const said = reason ? `: ${reason}` : '';
  switch (code) {
    case 1000:
      return { kind: 'closed', detail: `the page closed the connection (1000)${said}` };
    case 1001:
      // Chromium closes with 1001 on reload, navigation, tab close, and (from its network
      // process) when the page's renderer crashed: the socket cannot tell these apart.
      return { kind: 'going-away', detail: `the page went away: reload, navigation, close or renderer crash (1001)${said}` };
    case 1006:
      return { kind: 'crashed', detail: 'the connection dropped without a close frame (1006): the page crashed or was killed' };
    default:
      return { kind: 'error', detail: `the socket closed with code ${code}${said}` };
  }
}

function endJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sameToken(given: string | undefined, token: Buffer): boolean {
  if (given === undefined) return false;
  const b = Buffer.from(given);
  return b.length === token.length && timingSafeEqual(b, token);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/**
 * Start the loopback HTTP + WebSocket server renderers in browser pages connect to. Each
 * authenticated socket becomes one session of `options.broker`, with `info`
 * `{ transport: 'websocket', origin, remoteAddress, userAgent }`.
 * @throws RemoraError `E_DENIED` when asked to bind a non-loopback interface without `allowNonLoopback`.
 */
export async function listenWebSocket(options: WebSocketHostOptions): Promise<WebSocketHost> {
  const bindHost = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(bindHost) && !options.allowNonLoopback) {
    throw new RemoraError('E_DENIED', `Denied: refusing to bind ${bindHost}, which is not a loopback interface. Pass allowNonLoopback: true if the app must be reachable from the network.`);
  }
  const tokenText = options.token ?? randomBytes(32).toString('hex');
  if (!/^[A-Za-z0-9_~.-]{16,512}$/.test(tokenText)) {
    throw new RemoraError('E_INVALID_ARGS', 'The token must be 16 to 512 characters from [A-Za-z0-9_~.-] (it travels as a WebSocket sub-protocol).');
  }
  const token = Buffer.from(tokenText);
  const path = options.path ?? '/remora';
  const syncPath = `${path}/sync`;
  const maxPayload = options.maxPayload ?? 64 * 1024 * 1024;
  const maxSyncWait = options.maxSyncWaitMs ?? 120_000;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const byKey = new Map<string, WebSocketMainTransport>();
  const alive = new WeakSet<WebSocket>();
  let origins: ReadonlySet<string> = new Set(options.allowedOrigins ?? []);

  const originAllowed = (origin: string | undefined): boolean => (origin === undefined ? options.allowMissingOrigin === true : origins.has(origin));

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === syncPath) {
      handleSync(req, res);
      return;
    }
    if (options.serve) options.serve(req, res);
    else endJson(res, 404, { code: 'E_NO_OBJECT', message: 'not found' });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path) return refuseUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin)) return refuseUpgrade(socket, 403, 'Forbidden');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const given = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length);
    if (!sameToken(given, token)) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (!offered.includes(WS_PROTOCOL)) return refuseUpgrade(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  function accept(ws: WebSocket, req: IncomingMessage): void {
    const key = randomBytes(18).toString('base64url');
    const t = new WebSocketMainTransport(ws, key);
    byKey.set(key, t);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    t.closed$.subscribe(() => byKey.delete(key));
    const hello: SessionKeyMessage = { remora: 'session', key };
    ws.send(JSON.stringify(hello));
    options.broker.connect(t, {
      transport: 'websocket',
      origin: req.headers.origin,
      remoteAddress: req.socket.remoteAddress,
      userAgent: req.headers['user-agent'],
    });
  }

  function handleSync(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (!originAllowed(origin)) return endJson(res, 403, { code: 'E_DENIED', message: 'origin not allowed' });
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, x-remora-token, x-remora-session, x-remora-seq, x-remora-timeout',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') return endJson(res, 405, { code: 'E_PROTOCOL', message: 'POST a frame' });
    if (!sameToken(header(req, 'x-remora-token'), token)) return endJson(res, 401, { code: 'E_DENIED', message: 'bad or missing token' });
    const t = byKey.get(header(req, 'x-remora-session') ?? '');
    if (!t) return endJson(res, 410, { code: 'E_CLOSED', message: 'no such session (it ended, or never existed)' });
    const seq = Number(header(req, 'x-remora-seq') ?? 0);
    const timeoutMs = Math.min(Math.max(Number(header(req, 'x-remora-timeout') ?? maxSyncWait) || maxSyncWait, 1), maxSyncWait);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxPayload) {
        endJson(res, 413, { code: 'E_FRAME_TOO_LARGE', message: `request body over ${maxPayload} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let frame: unknown;
      try {
        frame = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return endJson(res, 400, { code: 'E_PROTOCOL', message: 'the body must be one JSON frame' });
      }
      const id = (frame as { id?: unknown } | null)?.id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return endJson(res, 400, { code: 'E_PROTOCOL', message: 'a sync frame needs a positive integer id' });
      t.syncRequest(Number.isSafeInteger(seq) && seq >= 0 ? seq : 0, frame as { id: number }, res, timeoutMs);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${hostPart}:${port}`;
  if (!options.allowedOrigins) origins = new Set([origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);

  const heartbeat = heartbeatMs > 0
    ? setInterval(() => {
        for (const ws of wss.clients) {
          if (!alive.has(ws)) {
            ws.terminate();
            continue;
          }
          alive.delete(ws);
          ws.ping();
        }
      }, heartbeatMs)
    : undefined;
  heartbeat?.unref();

  return {
    server,
    port,
    origin,
    wsUrl: `ws://${hostPart}:${port}${path}`,
    token: tokenText,
    get connections() {
      return wss.clients.size;
    },
    pageUrl: (p = '/') => `${origin}${p.startsWith('/') ? p : `/${p}`}#${TOKEN_FRAGMENT}=${tokenText}`,
    close: async () => {
      if (heartbeat) clearInterval(heartbeat);
      for (const t of [...byKey.values()]) t.close({ kind: 'shutdown', detail: 'main is shutting down' });
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
