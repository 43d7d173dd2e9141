/**
 * The transport contract: what the core needs from a runtime to move frames. Each transport
 * (memory, worker_threads, WebSocket, Electron IPC) adapts one runtime to these interfaces and
 * does nothing more.
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';

/** Why a connection closed. */
export interface CloseReason {
  /**
   * Short machine-readable cause: `closed`, `reload`, `navigate`, `crashed`, `exit`, `error`,
   * and the transport's own refusals: `too-large` (a message over a size limit, either way),
   * `refused` (a message the transport cannot carry), `slow-consumer` (the peer stopped reading).
   */
  readonly kind: string;
  /** Human-readable detail. */
  readonly detail?: string;
  /**
   * The error code when the transport itself ended the connection for a limit or a message it
   * could not carry: one of remora's error codes (`E_FRAME_TOO_LARGE`, `E_BAD_VALUE`,
   * `E_SLOW_CONSUMER`, ...). A plain string so the contract stands alone.
   */
  readonly code?: string;
}

/** One end of a connection carrying frames (already-batched messages) in order. */
export interface Transport {
  /**
   * Send one message (a frame or a batch). Never throws. Once closed it drops the message. A
   * message the transport cannot carry (it cannot be serialised or cloned, or is too large
   * for the runtime) is refused by closing the connection with a typed {@link CloseReason}
   * (`code` set), which `closed$` reports: the session ends and releases what it held. So is
   * a peer that stopped reading, on transports that can see it. Callers that want a per-call
   * error instead bound what they send before calling `send`.
   *
   * `transfer`: ArrayBuffers of the message to move rather than copy (the user marked them
   * with `transfer()`); only given to a transport whose {@link binary} is `structured`, which
   * puts them in its transfer list. They are detached on this side after the send.
   */
  send(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  /** Inbound messages, in order. Completes when the connection closes. */
  readonly messages$: Observable<unknown>;
  /** Emits once when the connection closes, for any reason. */
  readonly closed$: Observable<CloseReason>;
  /** Close the connection from this side. */
  close(reason?: CloseReason): void;
  /**
   * Main side only: deliver the reply to a request the renderer made synchronously (`s: 1`).
   * Transports without a blocking channel omit it and the reply goes through `send`. Never
   * throws: a reply it cannot carry fails that one request with a typed error where the
   * channel allows it (the sync HTTP endpoint), else it is refused as in {@link send}.
   */
  replySync?(message: unknown): void;
  /**
   * How binary data travels on this transport. Default `clone`: typed arrays and ArrayBuffers
   * are copied before `send`. `structured`: `send` structured-clones the message when called
   * and accepts a transfer list, so remora hands it the bytes uncopied (the frame then leaves at
   * once, not at the end of the tick). `base64`: as text (JSON transports).
   */
  readonly binary?: 'clone' | 'base64' | 'structured';
  /**
   * Optional, for transports that can see their own output buffer: bytes handed to
   * {@link send} that have not left for the peer yet (a socket's `bufferedAmount`). With it
   * (and {@link drained$}) main paces a session: it hands over messages only while the backlog
   * is under its high-water mark and keeps the rest queued as frames. Without it main sends
   * at once, as before.
   */
  backlog?(): number;
  /**
   * Optional, with {@link backlog}: emits each time the backlog fell (a message left for the
   * peer), so a paced sender can continue. Completes when the connection closes.
   */
  readonly drained$?: Observable<void>;
}

/** A renderer-side transport that can block the calling thread until main answers. */
export interface SyncTransport extends Transport {
  /**
   * Send `message` and block until main answers the request with id `id`; returns the raw
   * reply. Throws a RemoraError with `E_TIMEOUT` after `timeoutMs`, `E_CLOSED` if the
   * connection closes while waiting.
   */
  sendSync(message: unknown, id: number, timeoutMs: number): unknown;
}

/** True when the transport can block for synchronous calls. */
export function isSyncTransport(t: Transport): t is SyncTransport {
  return typeof (t as Partial<SyncTransport>).sendSync === 'function';
}
