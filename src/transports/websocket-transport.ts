/**
 * Main's end of one page's socket: JSON frames in and out, the session's sync requests routed
 * in order with the socket's frames, and the close codes read as close reasons (1001 going
 * away, 1006 crashed, 1000 closed).
 * @packageDocumentation
 */
import type { ServerResponse } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import type { CloseReason, Transport } from '../transport.js';
import { TransportEnd } from './transport-end.js';
import { endJson, SyncRequests, type SyncTarget } from './websocket-sync.js';

/** Main's end of one page's socket. */
export class WebSocketMainTransport extends TransportEnd implements Transport, SyncTarget {
  readonly binary = 'base64' as const;
  /** Messages received on the socket so far (sync requests wait until they caught up). */
  received = 0;
  private readonly sync = new SyncRequests((frame) => this.push(frame));

  constructor(
    private readonly ws: WebSocket,
    /** The session key main issued on this socket; sync requests name it. */
    readonly key: string,
  ) {
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
    if (this.sync.anyParked) this.sync.caughtUp(this.received);
  }

  /** Send one message on the socket as JSON (dropped once closed). */
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
    if (this.sync.has(frame.id)) {
      endJson(res, 409, { code: 'E_PROTOCOL', message: `request id ${frame.id} is already waiting` });
      return;
    }
    if (this.isClosed) {
      endJson(res, 410, { code: 'E_CLOSED', message: 'the session ended' });
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
  }

  /** Close from main's side with WebSocket close `code` (1001 on shutdown, else 1000). */
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
