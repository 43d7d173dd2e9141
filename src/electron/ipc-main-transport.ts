/**
 * Main's end of one page's connection over Electron IPC. Asynchronous frames arrive on
 * `remora:frame` and leave with `webContents.sendToFrame` to the page's own frame; a
 * synchronous request arrives on `remora:sync` and its reply is `event.returnValue`, which
 * may be set after any number of awaits (Electron keeps the renderer blocked until then).
 * Every sync request is answered exactly once: with the reply, or with a control reply
 * (`closed`, `timeout`, `refused`) so a renderer is never left blocked.
 * @packageDocumentation
 */
import type { CloseReason, Transport } from '../transport.js';
import { TransportEnd } from '../transports/transport-end.js';
import { CHANNELS, type PushControl, type SyncControlReply } from './channel.js';
import type { IpcMainEventLike, WebContentsLike } from './types.js';

/** Where a page lives: its webContents and frame. */
export interface PageAddress {
  readonly webContents: WebContentsLike;
  readonly processId: number;
  readonly frameId: number;
  /** Fresh per page load (made by the preload). */
  readonly pageId: string;
}

interface PendingSync {
  readonly event: IpcMainEventLike;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Close kinds after which the page is gone, so nothing is sent to it. */
const PAGE_GONE = new Set(['navigate', 'crashed', 'destroyed', 'renderer-closed']);

/** Main's transport for one page load. Created by the adapter in `main.ts`. */
export class IpcMainTransport extends TransportEnd implements Transport {
  private readonly pending = new Map<number, PendingSync>();

  constructor(
    /** The page this transport talks to. */
    readonly page: PageAddress,
    private readonly maxSyncMs: number,
  ) {
    super();
  }

  /** Sync requests waiting for their reply. */
  get pendingSync(): number {
    return this.pending.size;
  }

  send(message: unknown): void {
    if (this.isClosed) return;
    const wc = this.page.webContents;
    if (wc.isDestroyed()) {
      this.end({ kind: 'destroyed', detail: 'the webContents was destroyed' });
      return;
    }
    try {
      wc.sendToFrame([this.page.processId, this.page.frameId], CHANNELS.push, this.page.pageId, message);
    } catch (e) {
      this.end({ kind: 'error', detail: `sendToFrame failed: ${(e as Error).message}` });
    }
  }

  /** An asynchronous message from the page. */
  receive(message: unknown): void {
    this.push(message);
  }

  /** A synchronous request from the page: remember its event until the session replies. */
  receiveSync(event: IpcMainEventLike, message: unknown, timeoutMs: unknown): void {
    if (this.isClosed) {
      answer(event, { __remora: 'closed', detail: this.closedDetail });
      return;
    }
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || this.pending.has(id)) {
      answer(event, { __remora: 'refused', detail: 'a synchronous message must be a request with a fresh integer id' });
      return;
    }
    const ms = Math.min(typeof timeoutMs === 'number' && timeoutMs > 0 ? timeoutMs : this.maxSyncMs, this.maxSyncMs);
    const timer = setTimeout(() => {
      if (this.pending.get(id)?.event !== event) return;
      this.pending.delete(id);
      answer(event, { __remora: 'timeout' });
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.pending.set(id, { event, timer });
    this.push(message);
  }

  replySync(message: unknown): void {
    const id = (message as { id?: unknown } | null)?.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) {
      // The renderer already gave up on it (timeout): an async copy lets it release refs in the reply.
      this.send(message);
      return;
    }
    this.pending.delete(id as number);
    clearTimeout(p.timer);
    answer(p.event, message);
  }

  private closedDetail: string | undefined;

  /** The page or main ended the connection: answer waiting sync calls and complete. */
  end(reason: CloseReason): void {
    if (this.isClosed) return;
    this.closedDetail = `${reason.kind}${reason.detail ? `: ${reason.detail}` : ''}`;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      answer(p.event, { __remora: 'closed', detail: this.closedDetail });
    }
    this.pending.clear();
    this.ended(reason);
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    if (!PAGE_GONE.has(reason.kind) && !this.page.webContents.isDestroyed()) {
      // Main ended a live page's session: tell the page so its pending calls fail with E_CLOSED.
      const bye: PushControl = { __remora: 'bye', reason: reason.kind, ...(reason.detail ? { detail: reason.detail } : {}) };
      this.send(bye);
    }
    this.end(reason);
  }
}

function answer(event: IpcMainEventLike, value: unknown): void {
  try {
    event.returnValue = value;
  } catch {
    /* the frame is gone: nobody is waiting */
  }
}

/** The control reply type, re-exported for the renderer transport's tests. */
export type { SyncControlReply };
