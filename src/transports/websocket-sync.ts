/**
 * The sync endpoint: a page's main thread cannot `Atomics.wait`, so its synchronous calls are
 * a synchronous XHR POST carrying one frame, answered over the same HTTP request. The request
 * names the session key main issued on the socket and how many socket messages the page had
 * sent before it; the frame is routed into that session only once the socket delivered those
 * (it never overtakes the page's earlier async frames), and answered through `replySync`.
 *
 * Two parts: {@link syncEndpoint}, the HTTP handler (gate, headers, body, frame shape), and
 * {@link SyncRequests}, one session's requests waiting for their reply.
 *
 * Limits are enforced before their cost: a body whose `content-length` is over the limit is
 * answered 413 unread, a body that grows past it is cut off at once, at most `maxSyncBodies`
 * bodies are read at a time (503 beyond), and a body that does not arrive within
 * `bodyTimeoutMs` is answered 408. Every refusal closes its connection.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as errors from '../errors/factories.js';
import { type ErrorCode, httpStatusOf } from '../errors.js';
import { refusalOf } from './transport-end.js';
import type { AccessGate } from './websocket-auth.js';
import { SYNC_HEADER } from './websocket-wire.js';

/**
 * Answer `res` with a JSON body (nothing when it was answered or dropped already). Never
 * throws: a body that cannot be serialised is answered with its typed error instead.
 */
export function endJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch (e) {
    const r = refusalOf(e, 'the reply');
    status = httpStatusOf(r.code as ErrorCode);
    text = JSON.stringify({ code: r.code, message: r.detail });
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answer `res` with a JSON error body `{ code, message }`, its status the code's HTTP status
 * (from the errors table) unless `status` says otherwise (409, 405 and 401 are explicit).
 */
export function endError(res: ServerResponse, code: ErrorCode, message: string, status = httpStatusOf(code)): void {
  endJson(res, status, { code, message });
}

/** Answer with an error and close the connection after it (refusals must not hold a socket). */
function refuse(res: ServerResponse, code: ErrorCode, message: string, status?: number): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  endError(res, code, message, status);
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
      if (forget()) endError(res, 'E_TIMEOUT', `no reply within ${timeoutMs} ms`);
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
      endError(w.res, 'E_CLOSED', `the session ended (${kind})`);
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
  /** Bodies read at the same time, across sessions (`E_TOO_MANY_CONNECTIONS` beyond). */
  readonly maxSyncBodies: number;
  /** Longest a body may take to arrive once its headers did (408 after). */
  readonly bodyTimeoutMs: number;
  /** Longest a request may wait for its reply, whatever the page asks. */
  readonly maxSyncWaitMs: number;
}

/** The HTTP handler of the sync endpoint. */
export function syncEndpoint(options: SyncEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { gate, sessions, maxPayload, maxSyncWaitMs } = options;
  const bodies = { reading: 0 };
  return (req, res) => {
    const origin = req.headers.origin;
    if (!gate.originAllowed(origin)) return refuse(res, 'E_DENIED', 'origin not allowed');
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') return answerPreflight(res);
    if (req.method !== 'POST') return refuse(res, 'E_PROTOCOL', 'POST a frame', 405);
    if (!gate.tokenMatches(header(req, SYNC_HEADER.token))) return refuse(res, 'E_DENIED', 'bad or missing token', 401);
    const target = sessions.get(header(req, SYNC_HEADER.session) ?? '');
    if (!target) return endError(res, 'E_CLOSED', 'no such session (it ended, or never existed)');
    const seq = Number(header(req, SYNC_HEADER.seq) ?? 0);
    const timeoutMs = Math.min(Math.max(Number(header(req, SYNC_HEADER.timeout) ?? maxSyncWaitMs) || maxSyncWaitMs, 1), maxSyncWaitMs);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxPayload) return refuse(res, 'E_FRAME_TOO_LARGE', `request body over ${maxPayload} bytes`);
    if (bodies.reading >= options.maxSyncBodies) {
      return refuse(res, 'E_TOO_MANY_CONNECTIONS', errors.tooManyConnections({ what: 'sync request bodies being read', max: options.maxSyncBodies }).message);
    }
    readBody(req, res, { maxPayload, timeoutMs: options.bodyTimeoutMs, budget: bodies }, (body) => {
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

/** How {@link readBody} bounds one body: its size, its time, and the count of bodies read at once. */
interface BodyBounds {
  readonly maxPayload: number;
  readonly timeoutMs: number;
  readonly budget: { reading: number };
}

/**
 * Gather the request body up to `maxPayload` bytes, holding one of the budget's slots while
 * it reads. Past the size: 413 at once, the bytes read dropped and the connection closed; past
 * the deadline: 408. Then call `done` unless answered already.
 */
function readBody(req: IncomingMessage, res: ServerResponse, bounds: BodyBounds, done: (body: Buffer) => void): void {
  let chunks: Buffer[] = [];
  let size = 0;
  bounds.budget.reading++;
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    bounds.budget.reading--;
    clearTimeout(timer);
  };
  const cut = (code: ErrorCode, message: string, status?: number): void => {
    release();
    chunks = [];
    refuse(res, code, message, status);
    req.pause();
    res.once('finish', () => req.destroy());
  };
  const timer = setTimeout(() => cut('E_TIMEOUT', `the request body did not arrive within ${bounds.timeoutMs} ms`, 408), bounds.timeoutMs);
  timer.unref();
  req.on('data', (c: Buffer) => {
    if (!held) return;
    size += c.length;
    if (size > bounds.maxPayload) cut('E_FRAME_TOO_LARGE', `request body over ${bounds.maxPayload} bytes`);
    else chunks.push(c);
  });
  req.once('close', release);
  req.on('end', () => {
    if (!held) return;
    release();
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
    endError(res, 'E_PROTOCOL', 'the body must be one JSON frame');
    return undefined;
  }
  const id = (frame as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    endError(res, 'E_PROTOCOL', 'a sync frame needs a positive integer id');
    return undefined;
  }
  return frame as { id: number };
}

/** A request header's (first) value. */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
