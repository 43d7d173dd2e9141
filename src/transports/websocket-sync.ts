/**
 * The sync endpoint: a page's main thread cannot `Atomics.wait`, so its synchronous calls are
 * a synchronous XHR POST carrying one frame, answered over the same HTTP request. The request
 * names the session key main issued on the socket and how many socket messages the page had
 * sent before it; the frame is routed into that session only once the socket delivered those
 * (it never overtakes the page's earlier async frames), and answered through `replySync`.
 *
 * Two parts: {@link syncEndpoint}, the HTTP handler (gate, headers, body, frame shape), and
 * {@link SyncRequests}, one session's requests waiting for their reply.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessGate } from './websocket-auth.js';
import { SYNC_HEADER } from './websocket-wire.js';

/** Answer `res` with a JSON body (nothing when it was answered or dropped already). */
export function endJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A sync request waiting for its reply: the HTTP response to answer, and its deadline. */
interface SyncWaiter {
  readonly res: ServerResponse;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** One session's sync requests: those waiting for a reply, and those parked until the socket caught up. */
export class SyncRequests {
  private readonly waiting = new Map<number, SyncWaiter>();
  /** Requests waiting for the socket to deliver the page's first `seq` messages. */
  private parked: { seq: number; frame: { id: number } }[] = [];

  constructor(
    /** Hand a frame to the session. */
    private readonly deliver: (frame: unknown) => void,
  ) {}

  /** True when a request with this id already waits. */
  has(id: number): boolean {
    return this.waiting.has(id);
  }

  /**
   * Take a request: deliver it now when the socket has delivered `received >= seq` messages,
   * else park it. Its deadline runs from now, parked or not; a response closed early forgets it.
   */
  add(seq: number, frame: { id: number }, res: ServerResponse, timeoutMs: number, received: number): void {
    const id = frame.id;
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
    if (received >= seq) this.deliver(frame);
    else this.parked.push({ seq, frame });
  }

  /** True while some request is parked. */
  get anyParked(): boolean {
    return this.parked.length > 0;
  }

  /** The socket has now delivered `received` messages: deliver the parked requests it caught up with. */
  caughtUp(received: number): void {
    const ready = this.parked.filter((p) => p.seq <= received);
    if (!ready.length) return;
    this.parked = this.parked.filter((p) => p.seq > received);
    for (const p of ready) this.deliver(p.frame);
  }

  /** Answer the waiting request `message` replies to. False when none waits (the caller sends it on the socket). */
  answer(message: unknown): boolean {
    const id = (message as { id?: unknown }).id;
    const w = typeof id === 'number' ? this.waiting.get(id) : undefined;
    if (!w) return false;
    this.waiting.delete(id as number);
    clearTimeout(w.timer);
    endJson(w.res, 200, message);
    return true;
  }

  /** The session ended: answer every waiting request with 410 and drop the parked ones. */
  endAll(kind: string): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      endJson(w.res, 410, { code: 'E_CLOSED', message: `the session ended (${kind})` });
    }
    this.waiting.clear();
    this.parked = [];
  }
}

/** The session end a sync request is routed into. */
export interface SyncTarget {
  /** Take a sync request (see {@link SyncRequests.add}). */
  syncRequest(seq: number, frame: { id: number }, res: ServerResponse, timeoutMs: number): void;
}

/** What {@link syncEndpoint} needs from its server. */
export interface SyncEndpointOptions {
  /** Token and Origin checks. */
  readonly gate: AccessGate;
  /** Open sessions by the key main issued on their socket. */
  readonly sessions: ReadonlyMap<string, SyncTarget>;
  /** Largest request body, in bytes. */
  readonly maxPayload: number;
  /** Longest a request may wait for its reply, whatever the page asks. */
  readonly maxSyncWaitMs: number;
}

/** The HTTP handler of the sync endpoint. */
export function syncEndpoint(options: SyncEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { gate, sessions, maxPayload, maxSyncWaitMs } = options;
  return (req, res) => {
    const origin = req.headers.origin;
    if (!gate.originAllowed(origin)) return endJson(res, 403, { code: 'E_DENIED', message: 'origin not allowed' });
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') return answerPreflight(res);
    if (req.method !== 'POST') return endJson(res, 405, { code: 'E_PROTOCOL', message: 'POST a frame' });
    if (!gate.tokenMatches(header(req, SYNC_HEADER.token))) return endJson(res, 401, { code: 'E_DENIED', message: 'bad or missing token' });
    const target = sessions.get(header(req, SYNC_HEADER.session) ?? '');
    if (!target) return endJson(res, 410, { code: 'E_CLOSED', message: 'no such session (it ended, or never existed)' });
    const seq = Number(header(req, SYNC_HEADER.seq) ?? 0);
    const timeoutMs = Math.min(Math.max(Number(header(req, SYNC_HEADER.timeout) ?? maxSyncWaitMs) || maxSyncWaitMs, 1), maxSyncWaitMs);
    readBody(req, res, maxPayload, (body) => {
      const frame = parseSyncFrame(res, body);
      if (frame) target.syncRequest(Number.isSafeInteger(seq) && seq >= 0 ? seq : 0, frame, res, timeoutMs);
    });
  };
}

/** Answer a CORS preflight for the sync endpoint. */
function answerPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': `content-type, ${SYNC_HEADER.token}, ${SYNC_HEADER.session}, ${SYNC_HEADER.seq}, ${SYNC_HEADER.timeout}`,
    'access-control-max-age': '600',
  });
  res.end();
}

/** Gather the request body up to `maxPayload` bytes (413 beyond it), then call `done` unless answered already. */
function readBody(req: IncomingMessage, res: ServerResponse, maxPayload: number, done: (body: Buffer) => void): void {
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
    done(Buffer.concat(chunks));
  });
}

/** The body as one JSON frame with a positive integer id, or `undefined` after answering 400. */
function parseSyncFrame(res: ServerResponse, body: Buffer): { id: number } | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(body.toString());
  } catch {
    endJson(res, 400, { code: 'E_PROTOCOL', message: 'the body must be one JSON frame' });
    return undefined;
  }
  const id = (frame as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    endJson(res, 400, { code: 'E_PROTOCOL', message: 'a sync frame needs a positive integer id' });
    return undefined;
  }
  return frame as { id: number };
}

/** A request header's (first) value. */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
