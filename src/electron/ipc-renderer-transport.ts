/**
 * The page's end of the Electron connection, over the preload's bridge. Asynchronous frames
 * go with `bridge.send`; a synchronous call blocks in `bridge.sendSync` (Electron's
 * `ipcRenderer.sendSync`) until main sets `event.returnValue`. `send` never throws (the
 * transport contract): a message the IPC pipe cannot clone closes the connection with a typed
 * reason (`refused`/`E_BAD_VALUE`, see `refusalOf`) and tells main; a blocking call whose
 * message cannot be cloned fails with `E_BAD_VALUE` and the connection goes on (nothing went).
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import type { CloseReason, SyncTransport } from '../transport.js';
import { refusalOf, TransportEnd } from '../transports/transport-end.js';
import { DEFAULT_BRIDGE_KEY, isControl, isNeverSent, type CloseControl, type RemoraBridge } from './channel.js';

/** Find the bridge the preload exposed (`window.remora` by default). Throws `E_PROTOCOL` if there is none. */
export function findBridge(key: string = DEFAULT_BRIDGE_KEY): RemoraBridge {
  const b = (globalThis as Record<string, unknown>)[key] as Partial<RemoraBridge> | undefined;
  if (!b || typeof b.send !== 'function' || typeof b.sendSync !== 'function' || typeof b.onMessage !== 'function') {
    throw errors.of('E_PROTOCOL', `No remora bridge at window.${key}: call exposeRemora({ contextBridge, ipcRenderer }) from 'remora/electron/preload' in this window's preload script.`);
  }
  return b as RemoraBridge;
}

/** The renderer transport over the preload bridge. */
export class IpcRendererTransport extends TransportEnd implements SyncTransport {
  private readonly stop: () => void;

  constructor(private readonly bridge: RemoraBridge = findBridge()) {
    super();
    this.stop = bridge.onMessage((m) => {
      if (this.isClosed) return;
      if (isControl(m)) {
        if (m.__remora === 'bye') this.ended({ kind: m.reason, ...(m.detail ? { detail: m.detail } : {}) });
        return;
      }
      this.push(m);
    });
  }

  /** Send one message to main. Never throws: a message that cannot be cloned closes the connection. */
  send(message: unknown): void {
    if (this.isClosed) return;
    try {
      this.bridge.send(message);
    } catch (e) {
      this.close(refusalOf(e, 'a message to main'));
    }
  }

  sendSync(message: unknown, id: number, timeoutMs: number): unknown {
    if (this.isClosed) throw errors.of('E_CLOSED', 'Closed: this page\'s connection to main is closed.');
    let reply: unknown;
    try {
      reply = this.bridge.sendSync(message, timeoutMs);
    } catch (e) {
      // ipcRenderer.sendSync throws before sending when the message cannot be cloned.
      throw errors.badValue({ what: `a message IPC cannot clone (${describe(e)}) in this synchronous call` });
    }
    if (isNeverSent(reply)) {
      // Electron's own answer when nobody in main listens on remora's channel (detached, or never attached).
      this.ended({ kind: 'closed', detail: `main is not listening (${reply.error})` });
      throw errors.of('E_CLOSED', `Closed: main is not listening on remora's channel (Electron answered "${reply.error}").`);
    }
    if (isControl(reply)) {
      switch (reply.__remora) {
        case 'timeout':
          this.send({ t: 'cancel', id });
          throw errors.of('E_TIMEOUT', `The synchronous call did not settle within ${timeoutMs} ms. Raise syncTimeout, or use the async API.`);
        case 'aborted':
          this.send({ t: 'cancel', id });
          throw errors.of('E_CLOSED', `Closed: main is navigating or closing this page, so it gave up waiting for this synchronous call (${reply.detail ?? 'no detail'}).`);
        case 'uncloneable':
          throw errors.of('E_BAD_VALUE', `Main's reply to this synchronous call could not be cloned into an IPC message (${reply.detail ?? 'no detail'}). Return plain data, or use the async API.`);
        case 'denied':
          this.ended({ kind: 'closed', detail: reply.detail });
          throw errors.of('E_DENIED', `Denied: main does not serve this page (${reply.detail ?? 'no detail'}). Main chooses the pages it serves with the serve option (see docs/electron.md).`);
        case 'refused':
          throw errors.of('E_PROTOCOL', `Protocol violation: main refused the synchronous message (${reply.detail ?? 'no detail'}).`);
        default:
          this.ended({ kind: 'closed', detail: 'detail' in reply ? reply.detail : undefined });
          throw errors.of('E_CLOSED', `Closed: main closed this page's session${'detail' in reply && reply.detail ? ` (${reply.detail})` : ''}.`);
      }
    }
    if ((reply as { id?: unknown } | null)?.id !== id) {
      throw errors.of('E_PROTOCOL', 'Protocol violation: main answered a synchronous call with a reply for another request.');
    }
    return reply;
  }

  override ended(reason: CloseReason): void {
    if (this.isClosed) return;
    this.stop();
    super.ended(reason);
  }

  close(reason: CloseReason = { kind: 'closed' }): void {
    if (this.isClosed) return;
    const bye: CloseControl = { __remora: 'close' };
    try {
      this.bridge.send(bye);
    } catch {
      /* the bridge is gone: main learns when the page unloads */
    }
    this.ended(reason);
  }
}

/** A thrown value as text, whatever it is (a getter may throw null, or an object whose toString throws). */
function describe(e: unknown): string {
  try {
    return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
  } catch {
    return 'an unprintable error';
  }
}
