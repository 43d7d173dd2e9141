/**
 * `remora/transports/websocket-page`: the renderer side for a real browser page, paired with
 * `listenWebSocket` from `remora/transports/websocket` in main.
 *
 * Async frames travel as JSON over the browser's `WebSocket` (the default and fast path).
 * Synchronous (compatibility-mode) calls block the page with a **synchronous XHR** to main's
 * loopback sync endpoint, naming the session key main issued on the socket: it works, but a
 * Chromium HTTP round trip costs milliseconds (about 5 ms measured here) where an async call
 * costs a fraction of one, and it freezes the page meanwhile. Use it only for code that still
 * expects Electron's synchronous `remote`.
 *
 * Bundle it with `remora/renderer` for the browser (esbuild, Vite, ...); it uses only web APIs.
 *
 * @example
 * ```ts
 * import { connect } from 'remora/renderer';
 * import { connectToMain } from 'remora/transports/websocket-page';
 *
 * // The page was opened at host.pageUrl(...): URL and token come from location.
 * const client = connect(await connectToMain());
 * const clock = await client.require<Clock>('clock');
 * console.log(await clock.now());
 * ```
 * @module remora/transports/websocket-page
 */
import { Observable } from 'rxjs';
import * as errors from '../errors/factories.js';
import type { CloseReason, SyncTransport } from '../transport.js';
import { TransportEnd } from './transport-end.js';
import { DEFAULT_WS_PATH, SYNC_HEADER, SYNC_PATH_SUFFIX, TOKEN_FRAGMENT, WS_PROTOCOL, WS_TOKEN_PREFIX } from './websocket-wire.js';

/** The `sessionStorage` key the token is remembered under across reloads. */
const STORAGE_KEY = 'remora-token';

/** Options of {@link connectToMain}. */
export interface PageConnectOptions {
  /** WebSocket URL of main. Default: `ws://<this page's host>/remora`. */
  url?: string;
  /**
   * The per-app token. Default: the `remora-token` parameter of the URL fragment (main's
   * `host.pageUrl()` puts it there), remembered in `sessionStorage` so reloads find it again,
   * and removed from the visible URL.
   */
  token?: string;
  /** Give up connecting after this many ms. Default 10 000. */
  openTimeout?: number;
}

/** Find the token the way {@link connectToMain} does by default (fragment, then sessionStorage). */
export function tokenFromLocation(): string | undefined {
  const g = globalThis as { location?: Location; sessionStorage?: Storage; history?: History };
  const hash = g.location?.hash ?? '';
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const fromHash = params.get(TOKEN_FRAGMENT);
  if (fromHash) {
    try {
      g.sessionStorage?.setItem(STORAGE_KEY, fromHash);
      params.delete(TOKEN_FRAGMENT);
      const rest = params.toString();
      g.history?.replaceState(g.history.state, '', `${g.location!.pathname}${g.location!.search}${rest ? `#${rest}` : ''}`);
    } catch {
      /* storage disabled: keep the fragment so a reload still finds it */
    }
    return fromHash;
  }
  try {
    return g.sessionStorage?.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

class PageTransport extends TransportEnd implements SyncTransport {
  /** Messages that arrived before anyone subscribed (delivered to the first subscriber). */
  private early: unknown[] | undefined = [];
  override readonly messages$: Observable<unknown> = new Observable<unknown>((subscriber) => {
    const sub = this.inbox.subscribe(subscriber);
    const early = this.early;
    this.early = undefined;
    for (const m of early ?? []) subscriber.next(m);
    if (this.isClosed) subscriber.complete();
    return sub;
  });
  readonly binary = 'base64' as const;
  /** Messages sent on the socket so far; a sync request tells main to route it after these. */
  private sent = 0;

  constructor(private readonly ws: WebSocket, private readonly key: string, private readonly syncUrl: string, private readonly token: string) {
    super();
    ws.addEventListener('message', (ev: MessageEvent) => {
      if (this.isClosed || typeof ev.data !== 'string') return;
      let m: unknown;
      try {
        m = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (this.early) this.early.push(m);
      else this.push(m);
    });
    ws.addEventListener('close', (ev: CloseEvent) => this.ended({ kind: ev.code === 1001 ? 'shutdown' : ev.code === 1000 ? 'closed' : 'error', detail: `main closed the socket (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})` }));
  }

  send(message: unknown): void {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(message));
    this.sent++;
  }

  sendSync(message: unknown, id: number, timeoutMs: number): unknown {
    if (this.isClosed) throw errors.closed({ what: 'the connection to main is closed' });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', this.syncUrl, false);
    xhr.setRequestHeader('content-type', 'text/plain');
    xhr.setRequestHeader(SYNC_HEADER.token, this.token);
    xhr.setRequestHeader(SYNC_HEADER.session, this.key);
    xhr.setRequestHeader(SYNC_HEADER.seq, String(this.sent));
    xhr.setRequestHeader(SYNC_HEADER.timeout, String(Math.max(1, Math.floor(timeoutMs))));
    try {
      xhr.send(JSON.stringify(message));
    } catch (e) {
      throw errors.closed({ what: `the synchronous request to main failed (${(e as Error).message})`, cause: e });
    }
    if (xhr.status === 200) return JSON.parse(xhr.responseText);
    if (xhr.status === 504) {
      this.send({ t: 'cancel', id });
      throw errors.syncTimeout({ ms: timeoutMs });
    }
    if (xhr.status === 410 || xhr.status === 0) throw errors.closed({ what: 'main ended this session while a synchronous call was waiting' });
    if (xhr.status === 401 || xhr.status === 403) throw errors.denied({ what: `main refused the synchronous request (${xhr.status}); the token or origin is not accepted` });
    throw errors.protocol({ what: `the sync endpoint answered ${xhr.status} ${xhr.responseText.slice(0, 200)}` });
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    this.ended(reason);
    this.ws.close(1000, (reason.detail ?? reason.kind).slice(0, 120));
  }
}

/**
 * Open the connection to main from a browser page. Resolves once main accepted the socket
 * and issued the session key; rejects with `E_CLOSED` when main refuses it (wrong token or
 * origin) or cannot be reached.
 */
export function connectToMain(options: PageConnectOptions = {}): Promise<SyncTransport> {
  const loc = (globalThis as { location?: Location }).location;
  const url = options.url ?? (loc ? `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${DEFAULT_WS_PATH}` : undefined);
  if (!url) return Promise.reject(errors.invalidArgs({ what: 'connectToMain() needs options.url outside a page' }));
  const token = options.token ?? tokenFromLocation();
  if (!token) return Promise.reject(errors.denied({ what: 'no remora token', advice: 'Open the page at host.pageUrl(...) (token in the URL fragment) or pass options.token.' }));
  const httpUrl = new URL(url);
  httpUrl.protocol = httpUrl.protocol === 'wss:' ? 'https:' : 'http:';
  httpUrl.pathname = `${httpUrl.pathname.replace(/\/$/, '')}${SYNC_PATH_SUFFIX}`;
  const syncUrl = httpUrl.toString();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
    const timer = setTimeout(() => {
      fail(`main did not accept the connection within ${options.openTimeout ?? 10_000} ms`);
      ws.close();
    }, options.openTimeout ?? 10_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      ws.removeEventListener('message', onFirst);
      reject(errors.closed({ what: `could not connect to main at ${url}: ${why}`, advice: "Check the token and that this page's origin is allowed." }));
    };
    const onFirst = (ev: MessageEvent): void => {
      ws.removeEventListener('message', onFirst);
      ws.removeEventListener('close', onEarlyClose);
      clearTimeout(timer);
      let m: { remora?: unknown; key?: unknown } | undefined;
      try {
        m = JSON.parse(String(ev.data));
      } catch {
        m = undefined;
      }
      if (m?.remora !== 'session' || typeof m.key !== 'string') {
        reject(errors.protocol({ what: 'main did not start the socket with a session key' }));
        ws.close();
        return;
      }
      resolve(new PageTransport(ws, m.key, syncUrl, token));
    };
    const onEarlyClose = (ev: CloseEvent): void => fail(`the socket closed (${ev.code})`);
    ws.addEventListener('message', onFirst);
    ws.addEventListener('close', onEarlyClose);
  });
}
