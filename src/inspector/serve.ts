/**
 * `serveInspector`: the inspector page on loopback, served by remora's own machinery. A second,
 * dedicated broker exposes one module (`inspector`) whose `snapshots()` Observable the page
 * subscribes to over the WebSocket transport, with its token and Origin checks. Main's broker
 * is only read: its `inspect$` is subscribed while a page holds that subscription, never else.
 * The dedicated broker's stream limits (a window and buffer of two pictures, `drop-oldest`)
 * bound what a slow or frozen page can cost main.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Observable } from 'rxjs';
import { type Broker, type BrokerStats, createBroker } from '../entries/main.js';
import { listenWebSocket, type WebSocketHost } from '../transports/websocket.js';
import { Collector, type CollectorOptions } from './collector.js';
import { buildPageBundle } from './page-bundle.js';
import { INSPECTOR_CSS, INSPECTOR_HTML } from './page-assets.js';
import type { InspectorApi, InspectorSnapshot } from './snapshot.js';
import { brokerSource, type InspectionSource } from './source.js';

/** Options of {@link serveInspector}. */
export interface InspectorOptions extends CollectorOptions {
  /** Loopback interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port. Default 0 (a free one). */
  port?: number;
  /** The page's token. Default: 32 random bytes, hex. */
  token?: string;
  /** Origins allowed to connect. Default: the server's own. */
  allowedOrigins?: readonly string[];
  /** Milliseconds between pictures; at least 100 (10 a second). Default 100. */
  intervalMs?: number;
}

/** A running inspector. */
export interface InspectorServer {
  /** Open this in a browser or a `BrowserWindow`: it carries the token in its fragment. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Pages attached now (subscribed to pictures). */
  readonly attached: number;
  /**
   * The inspector's own broker's tables: what its pages cost main. `buffered` counts pictures
   * waiting for a slow page; flow control keeps it at most 2 per page (older ones are dropped).
   */
  stats(): BrokerStats;
  /** Disconnect every page and stop serving. Main's broker is left as it was. */
  close(): Promise<void>;
}

/** The security headers of every file the inspector serves. */
function headers(type: string, origin: string): Record<string, string> {
  const ws = origin.replace(/^http/, 'ws');
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${ws}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}

/**
 * Serve the inspector of `broker` (or of any {@link InspectionSource}) on loopback.
 * @returns the running server; open `url` to look.
 * @example
 * ```ts
 * import { serveInspector } from 'remora/inspector';
 * const inspector = await serveInspector(broker);
 * await new BrowserWindow().loadURL(inspector.url);
 * ```
 */
export async function serveInspector(broker: Broker | InspectionSource, options: InspectorOptions = {}): Promise<InspectorServer> {
  const source = 'events$' in broker ? broker : brokerSource(broker);
  const collector = new Collector(source, options);
  const intervalMs = Math.max(100, options.intervalMs ?? 100);
  const snapshots$ = new Observable<InspectorSnapshot>((subscriber) => {
    const detach = collector.attach();
    const cursor = collector.cursor();
    const tick = (): void => subscriber.next(collector.snapshot(cursor));
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => {
      clearInterval(timer);
      detach();
    };
  });
  const api: InspectorApi = { snapshots: () => snapshots$ };
  const own = createBroker({ limits: { streamWindow: 2, streamBuffer: 2, overflow: 'drop-oldest' } });
  own.exposeModule('inspector', () => api);

  let bundle: Promise<string> | undefined;
  let host!: WebSocketHost;
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/' || path === '/index.html') return void res.writeHead(200, headers('text/html; charset=utf-8', host.origin)).end(INSPECTOR_HTML);
    if (path === '/inspector.css') return void res.writeHead(200, headers('text/css', host.origin)).end(INSPECTOR_CSS);
    if (path === '/inspector.js') {
      bundle ??= buildPageBundle();
      bundle.then(
        (js) => res.writeHead(200, headers('text/javascript', host.origin)).end(js),
        (e: unknown) => {
          bundle = undefined;
          res.writeHead(500, headers('text/plain', host.origin)).end(`the inspector page could not be built: ${String(e)}`);
        },
      );
      return;
    }
    res.writeHead(404, headers('text/plain', host.origin)).end();
  };
  host = await listenWebSocket({ broker: own, host: options.host, port: options.port, token: options.token, allowedOrigins: options.allowedOrigins, serve });
  return {
    url: host.pageUrl('/'),
    origin: host.origin,
    get attached() {
      return collector.attachedCount;
    },
    stats: () => own.stats(),
    close: async () => {
      await host.close();
      own.close();
    },
  };
}
