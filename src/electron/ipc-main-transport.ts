/**
 * Main's end of one page's connection over Electron IPC. Asynchronous frames arrive on
 * `remora:frame` and leave with `webContents.sendToFrame` to the page's own frame; a
 * synchronous request arrives on `remora:sync` and its reply is `event.returnValue`, which
 * may be set after any number of awaits (Electron keeps the renderer blocked until then).
 * Every sync request is answered exactly once: with the reply, or with a control reply
 * (`closed`, `timeout`, `refused`, `aborted`, `uncloneable`) so a renderer is never left
 * blocked. Electron spends a sync reply even when setting `returnValue` throws "An object
 * could not be cloned", so a reply is checked for cloneability before it is set.
 * `sendToFrame` returning false means the frame is gone: the session ends. `send` and
 * `replySync` never throw (the transport contract): a message `sendToFrame` cannot clone closes
 * the session with a typed reason (`refused`/`E_BAD_VALUE`, `too-large`/`E_FRAME_TOO_LARGE`,
 * see `refusalOf`) after telling the page (`bye`), so its calls fail with `E_CLOSED`.
 * @packageDocumentation
 */
import type { CloseReason, Transport } from '../transport.js';
import { refusalOf, TransportEnd } from '../transports/transport-end.js';
import { CHANNELS, type PushControl, type SyncControlReply } from './channel.js';
import type { IpcMainEventLike, SenderFrameLike, WebContentsLike } from './types.js';

/** Where a page lives: its webContents and frame. */
export interface PageAddress {
  readonly webContents: WebContentsLike;
  readonly processId: number;
  readonly frameId: number;
  /** Fresh per page load (made by the preload). */
  readonly pageId: string;
}

/** The IPC event of the page's latest message (its `senderFrame` says who sent it, live). */
export interface LastSender {
  event: IpcMainEventLike;
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
    /** The latest message's event (updated by the adapter). */
    readonly sender: LastSender,
  ) {
    super();
  }

  /** The sending frame of the latest message, or null once that frame navigated away or was destroyed. */
  senderFrame(): SenderFrameLike | null {
    try {
      return this.sender.event.senderFrame ?? null;
    } catch {
      return null; // Electron throws for a frame disposed mid-access
    }
  }

  /** Sync requests waiting for their reply. */
  get pendingSync(): number {
    return this.pending.size;
  }

  /** Send one message to the page's frame. Never throws: what cannot go ends the session (see the file header). */
  send(message: unknown): void {
    if (this.isClosed) return;
    const failed = this.post(message);
    if (!failed) return;
    // The page is still there but this message cannot reach it: tell it the session is over.
    if (!PAGE_GONE.has(failed.kind)) this.post(byeFor(failed));
    this.end(failed);
  }

  /** Post `message` to the page's frame: undefined when it went, else why it did not. Never throws. */
  private post(message: unknown): CloseReason | undefined {
    const wc = this.page.webContents;
    try {
      if (wc.isDestroyed()) return { kind: 'destroyed', detail: 'the webContents was destroyed' };
      // Typed void, but Electron returns false when no frame has these ids (lib/browser/api/web-contents.ts).
      const sent: unknown = wc.sendToFrame([this.page.processId, this.page.frameId], CHANNELS.push, this.page.pageId, message);
      return sent === false ? { kind: 'navigate', detail: 'the frame is gone (sendToFrame returned false)' } : undefined;
    } catch (e) {
      if (destroyed(wc)) return { kind: 'destroyed', detail: 'the webContents was destroyed while sending' };
      return refusalOf(e, 'a message to the page');
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
    const why = uncloneable(message);
    answer(p.event, why === undefined ? message : { __remora: 'uncloneable', detail: why });
  }

  /**
   * Main is navigating or closing the page: answer its waiting sync calls with `aborted`
   * (the renderer cannot unload while blocked). The session goes on; a late reply travels
   * asynchronously, as after a timeout, so the page can release what it carried.
   */
  abortSync(detail: string): void {
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      answer(p.event, { __remora: 'aborted', detail });
    }
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
    // Main ended a live page's session: tell the page so its pending calls fail with E_CLOSED.
    if (!PAGE_GONE.has(reason.kind)) this.post(byeFor(reason));
    this.end(reason);
  }
}

/** The `bye` that tells a page its session ended for `reason`. */
function byeFor(reason: CloseReason): PushControl {
  return { __remora: 'bye', reason: reason.kind, ...(reason.detail ? { detail: reason.detail } : {}) };
}

/** `wc.isDestroyed()`, false if even that throws. */
function destroyed(wc: WebContentsLike): boolean {
  try {
    return wc.isDestroyed();
  } catch {
    return false;
  }
}

/** A thrown value as text, whatever it is (a getter may throw null, or an object whose toString throws). */
function describe(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an unprintable error';
  }
}

function answer(event: IpcMainEventLike, value: unknown): void {
  try {
    event.returnValue = value;
  } catch (e) {
    // Gone frame (nobody waits), or a value the setter could not clone: try a plain control reply.
    try {
      event.returnValue = { __remora: 'uncloneable', detail: describe(e) } satisfies SyncControlReply;
    } catch {
      /* spent or gone */
    }
  }
}

/** Why `value` cannot travel in an IPC message (structured clone), or undefined if it can. */
function uncloneable(value: unknown): string | undefined {
  try {
    structuredClone(value);
    return undefined;
  } catch (e) {
    return describe(e);
  }
}

/** The control reply type, re-exported for the renderer transport's tests. */
export type { SyncControlReply };
