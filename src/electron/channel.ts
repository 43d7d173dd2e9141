/**
 * The Electron IPC conventions shared by the three Electron entry points (main, preload,
 * renderer): channel names, the bridge the preload exposes, and the control replies main
 * gives to a synchronous call it cannot answer. Nothing here imports Electron.
 * @packageDocumentation
 */

/** IPC channel names remora uses. Nothing else of `ipcRenderer` is reachable through the bridge. */
export const CHANNELS = {
  /** Renderer to main, asynchronous (`ipcRenderer.send`): `(pageId, message)`. */
  frame: 'remora:frame',
  /** Renderer to main, blocking (`ipcRenderer.sendSync`): `(pageId, message, timeoutMs)`; answered through `event.returnValue`. */
  sync: 'remora:sync',
  /** Main to renderer (`webContents.sendToFrame`): `(pageId, message)`. */
  push: 'remora:push',
} as const;

/** The key under which the preload exposes the bridge (`window.remora`). */
export const DEFAULT_BRIDGE_KEY = 'remora';

/**
 * What the preload exposes to the page through `contextBridge.exposeInMainWorld`: remora's
 * channel and nothing else. The page never sees `ipcRenderer` or an IPC event object.
 */
export interface RemoraBridge {
  /** This page load's id (fresh on every load: navigation, reload). */
  readonly pageId: string;
  /** Send one message to main, asynchronously. */
  send(message: unknown): void;
  /** Send one message and block until main answers; returns main's reply. */
  sendSync(message: unknown, timeoutMs: number): unknown;
  /** Receive main's messages for this page. Returns a function that stops receiving. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/**
 * Main's answer to a synchronous call it could not complete (instead of the reply frame):
 * `closed` (the session is over), `timeout` (past the deadline), `refused` (not a valid sync
 * request), `aborted` (main is navigating or closing the page: only this call fails),
 * `uncloneable` (the reply could not be cloned into the IPC message), `denied` (main does not
 * serve this webContents or frame: see the adapter's `serve` option).
 */
export interface SyncControlReply {
  readonly __remora: 'closed' | 'timeout' | 'refused' | 'aborted' | 'uncloneable' | 'denied';
  readonly detail?: string;
}

/**
 * What Electron itself answers a `sendSync` nobody replied to (no listener on the channel:
 * the dropped event's reply channel sends it when collected).
 */
export interface NeverSentReply {
  readonly error: string;
}

/** True for Electron's own `{ error }` answer to an unanswered `sendSync`. */
export function isNeverSent(m: unknown): m is NeverSentReply {
  return typeof m === 'object' && m !== null && !('t' in m) && typeof (m as { error?: unknown }).error === 'string';
}

/** Main tells a page its session ended (main-initiated close). */
export interface PushControl {
  readonly __remora: 'bye';
  readonly reason: string;
  readonly detail?: string;
}

/** The page tells main it closed its connection (`client.close()`). */
export interface CloseControl {
  readonly __remora: 'close';
}

/** True for main's control replies/pushes (as opposed to protocol frames). */
export function isControl(m: unknown): m is SyncControlReply | PushControl | CloseControl {
  return typeof m === 'object' && m !== null && typeof (m as { __remora?: unknown }).__remora === 'string';
}
