/**
 * `remora/electron/preload`: the preload half of the Electron adapter. Works with
 * `contextIsolation: true`, `sandbox: true` and `nodeIntegration: false`: it exposes, through
 * `contextBridge`, remora's channel and nothing else of `ipcRenderer` (the page gets `send`,
 * `sendSync` and `onMessage` bound to remora's channels, never `ipcRenderer` itself nor an
 * IPC event object).
 *
 * @example
 * ```ts
 * // preload.ts (bundle it to CommonJS for a sandboxed preload)
 * import { contextBridge, ipcRenderer } from 'electron';
 * import { exposeRemora } from 'remora/electron/preload';
 * exposeRemora({ contextBridge, ipcRenderer });
 * ```
 * @module remora/electron/preload
 */
import type { ContextBridge, IpcRenderer } from 'electron';
import { CHANNELS, DEFAULT_BRIDGE_KEY, type RemoraBridge } from './channel.js';

export { CHANNELS, DEFAULT_BRIDGE_KEY, type RemoraBridge } from './channel.js';

/** The `ipcRenderer` methods the bridge uses (Electron's `ipcRenderer` fits: checked below). */
export type IpcRendererLike = Pick<IpcRenderer, 'send' | 'sendSync'> & {
  /** Listen on a channel. */
  on(channel: string, listener: (event: any, ...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Stop listening. */
  removeListener(channel: string, listener: (event: any, ...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** What {@link exposeRemora} needs from `require('electron')` in the preload. */
export interface PreloadElectron {
  /** Electron's `contextBridge`; only `exposeInMainWorld` is called, once. */
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>;
  /** Electron's `ipcRenderer`; the bridge uses it on remora's channels only and never hands it to the page. */
  ipcRenderer: IpcRendererLike;
}

/** Options of {@link exposeRemora}. */
export interface ExposeOptions {
  /** The global name of the bridge in the page. Default `remora`. */
  key?: string;
}

function newPageId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(Math.random() * 0x1_0000_0000).toString(36);
  return s.padEnd(8, '0');
}

/**
 * Build the bridge for one page load over `ipcRenderer`. The page id is fresh on every load
 * (the preload runs again), which is how main tells page generations apart.
 */
export function createBridge(ipcRenderer: IpcRendererLike, pageId: string = newPageId()): RemoraBridge {
  return {
    pageId,
    send(message: unknown): void {
      ipcRenderer.send(CHANNELS.frame, pageId, message);
    },
    sendSync(message: unknown, timeoutMs: number): unknown {
      return ipcRenderer.sendSync(CHANNELS.sync, pageId, message, timeoutMs);
    },
    onMessage(listener: (message: unknown) => void): () => void {
      // The IPC event never reaches the page: it carries `sender`, i.e. ipcRenderer itself.
      const fn = (_event: unknown, forPage: unknown, message: unknown): void => {
        if (forPage === pageId) listener(message);
      };
      ipcRenderer.on(CHANNELS.push, fn);
      return () => {
        ipcRenderer.removeListener(CHANNELS.push, fn);
      };
    },
  };
}

/** Expose remora's bridge to the page (`window.remora` by default). Call once, in the preload. */
export function exposeRemora(electron: PreloadElectron, options: ExposeOptions = {}): void {
  electron.contextBridge.exposeInMainWorld(options.key ?? DEFAULT_BRIDGE_KEY, createBridge(electron.ipcRenderer));
}

type Assert<T extends true> = T;
/**
 * Electron's preload objects fit what the bridge needs (a compile error here means Electron's typings moved).
 * @internal
 */
export type ElectronFitsPreload = [Assert<IpcRenderer extends IpcRendererLike ? true : false>, Assert<ContextBridge extends PreloadElectron['contextBridge'] ? true : false>];
