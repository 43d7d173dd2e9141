/**
 * Main's end of one page's socket: JSON frames in and out, the session's sync requests routed
 * in order with the socket's frames, and the close codes read as close reasons (1001 going
 * away, 1006 crashed, 1000 closed).
 *
 * It never throws out of `send` and never buffers without bound: a message that cannot be
 * serialised closes the socket with a typed reason (`E_FRAME_TOO_LARGE` or `E_BAD_VALUE`),
 * and a page that stopped reading (more than `maxBufferedBytes` waiting on its socket) is cut
 * off as a slow consumer (`E_SLOW_CONSUMER`), which ends its session and frees what it held.
 *
 * It reports its backlog (`bufferedAmount`) and emits `drained$` each time a message has left
 * (the write callback of `ws.send`, which fires as the socket's buffer goes down), so main can
 * pace what it hands over instead of piling it on the socket; `maxBufferedBytes` then only
 * catches a sender that does not pace.
 * @packageDocumentation
 */
import type { ServerResponse } from 'node:http';
import { Subject, type Observable } from 'rxjs';
import { WebSocket, type RawData } from 'ws';
import type { CloseReason, Transport } from '../transport.js';
import * as errors from '../errors/factories.js';
import { refusalOf, TransportEnd } from './transport-end.js';
import { endError, SyncRequests, type SyncTarget } from './websocket-sync.js';

/** Default of `maxBufferedBytes`: bytes that may wait on one socket before its page counts as a slow consumer. */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** WebSocket close codes main uses for its own refusals. */
const CLOSE_TOO_BIG = 1009;
const CLOSE_INTERNAL = 1011;

/** Main's end of one page's socket. */
export class WebSocketMainTransport extends TransportEnd implements Transport, SyncTarget {
  readonly binary = 'base64' as const;
  /** Messages received on the socket so far (sync requests wait until they caught up). */
  received = 0;
  private readonly sync = new SyncRequests((frame) => this.push(frame));
  private readonly drainedSubject = new Subject<void>();
  /** Emits each time a message left the socket's buffer (its write completed). */
  readonly drained$: Observable<void> = this.drainedSubject.asObservable();
  private readonly written = (e?: Error): void => {
    if (!e && !this.isClosed) this.drainedSubject.next();
  };

  constructor(
    private readonly ws: WebSocket,
    /** The session key main issued on this socket; sync requests name it. */
    readonly key: string,
    /** Bytes that may wait on the socket before the page counts as a slow consumer. */
    private readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
  ) {
    super();
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.once('close', (code: number, reason: Buffer) => this.ended(closeReasonOf(code, reason.toString())));
    ws.on('error', (e: Error & { code?: string }) => {
      const reason = inboundErrorReason(e);
      this.ended(reason);
      // ws has queued its 1009 close frame and would keep reading (and discarding) the rest of
      // the message while it waits for the page's close frame: drop the connection instead.
      if (reason.code) setImmediate(() => this.ws.terminate());
    });
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
    if (this.sync.anyParked) this.sync.caughtUp(this.received);
  }

  /**
   * Send one message on the socket as JSON (dropped once closed). Never throws: a message that
   * cannot be serialised closes the socket with a typed reason; so does a page with more than
   * `maxBufferedBytes` still waiting to be sent (checked before each send, so what waits is
   * bounded by the limit plus one message).
   */
  send(message: unknown): void {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return;
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.maxBufferedBytes) {
      this.cutOff(buffered);
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (e) {
      const reason = refusalOf(e, 'a message to the page');
      this.close(reason, reason.code === 'E_FRAME_TOO_LARGE' ? CLOSE_TOO_BIG : CLOSE_INTERNAL);
      return;
    }
    this.ws.send(text, this.written);
  }

  /** Bytes waiting on the socket (`bufferedAmount`); 0 once closed. */
  backlog(): number {
    return this.isClosed ? 0 : this.ws.bufferedAmount;
  }

  /** The page stopped reading: end the session and drop the socket with what waits on it. */
  private cutOff(buffered: number): void {
    const e = errors.slowConsumer({ buffered, max: this.maxBufferedBytes });
    this.ended({ kind: 'slow-consumer', code: 'E_SLOW_CONSUMER', detail: e.message });
    this.ws.terminate();
  }

  /**
   * A sync request arrived over HTTP. It is routed once the socket delivered every message the
   * page sent before it (`seq`), so it never overtakes the page's earlier async frames. Its
   * deadline runs from now, parked or not.
   */
  syncRequest(seq: number, frame: { id: number }, res: ServerResponse, timeoutMs: number): void {
    if (this.sync.has(frame.id)) {
      endError(res, 'E_PROTOCOL', `request id ${frame.id} is already waiting`, 409);
      return;
    }
    if (this.isClosed) {
      endError(res, 'E_CLOSED', 'the session ended');
      return;
    }
    this.sync.add(seq, frame, res, timeoutMs, this.received);
  }

  /** Answer a sync request over its HTTP response, or on the socket when none waits for it. */
  replySync(message: unknown): void {
    // Not waiting over HTTP (e.g. it timed out, or a page sent `s: 1` on the socket): use the socket.
    if (!this.sync.answer(message)) this.send(message);
  }

  /** The session ended: answer the waiting sync requests with 410, then close the streams. */
  override ended(reason: CloseReason): void {
    if (this.isClosed) return;
    this.sync.endAll(reason.kind);
    super.ended(reason);
    this.drainedSubject.complete();
  }

  /**
   * Close from main's side with WebSocket close `code` (1001 on shutdown, else 1000); a slow
   * consumer is dropped at once (`terminate`), with what waits on its socket.
   */
  close(reason: CloseReason = { kind: 'closed' }, code = reason.kind === 'shutdown' ? 1001 : 1000): void {
    if (this.isClosed) return;
    this.ended(reason);
    if (reason.kind === 'slow-consumer') {
      // A close frame would wait behind what the page does not read: drop the connection.
      this.ws.terminate();
      return;
    }
    try {
      this.ws.close(code, (reason.detail ?? reason.kind).slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }
}

/** The close reason of a socket error: a message over `maxPayload` is `too-large` (ws closes it with 1009). */
function inboundErrorReason(e: Error & { code?: string }): CloseReason {
  if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return { kind: 'too-large', code: 'E_FRAME_TOO_LARGE', detail: `the page sent a message over the size limit; it was refused from its header, unread (${e.message})` };
  }
  return { kind: 'error', detail: e.message };
}

/** The close reason of a socket closed with `code` (and the peer's `reason` text). */
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
