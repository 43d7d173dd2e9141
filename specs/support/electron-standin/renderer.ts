/**
 * The page side of the Electron stand-in, inside a worker thread: `ipcRenderer` and
 * `contextBridge` as a sandboxed, context-isolated preload sees them.
 *
 * - `ipcRenderer.send` posts to main; `ipcRenderer.sendSync` posts and blocks the thread
 *   (`Atomics.wait`) until main sets `event.returnValue`, like Electron's renderer.
 * - Listeners get `(event, ...args)` where `event.sender` is `ipcRenderer` itself (which is why
 *   a preload must never hand the event to the page).
 * - `contextBridge.exposeInMainWorld(key, api)` copies `api` into the page's global the way
 *   Electron does across worlds (context-bridge.ts: deep copies, bare errors, Proxies throw,
 *   cloneable types cloned, cycles kept), and freezes it.
 *   The page (everything outside the preload) gets only what was exposed.
 */
import { EventEmitter } from 'node:events';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { ContextBridge, IpcRenderer } from 'electron';
import { acrossWorlds, deepFreeze } from './context-bridge.js';
import type { MainToPage, PageBoot, PageToMain, SyncReply } from './wire.js';

const boot = (workerData as { __standin: PageBoot }).__standin;

/** Electron's `ipcRenderer` (the parts remora's preload uses, with Electron's semantics). */
export class StandinIpcRenderer extends EventEmitter implements Pick<IpcRenderer, 'send' | 'sendSync'> {
  private seq = 0;
  private readonly flag = new Int32Array(boot.flag);

  constructor() {
    super();
    boot.port.on('message', (m: MainToPage) => {
      this.emit(m.channel, { sender: this, senderId: 0, ports: [] }, ...m.args);
    });
  }

  send(channel: string, ...args: unknown[]): void {
    const m: PageToMain = { k: 'send', channel, args };
    boot.port.postMessage(m);
  }

  sendSync(channel: string, ...args: unknown[]): any { // eslint-disable-line @typescript-eslint/no-explicit-any
    const seq = ++this.seq;
    const m: PageToMain = { k: 'sync', channel, args, seq };
    boot.port.postMessage(m);
    // Blocks for as long as main takes, as Electron does (no timeout here: main owns the deadline).
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      for (let r = receiveMessageOnPort(boot.syncPort); r; r = receiveMessageOnPort(boot.syncPort)) {
        const reply = r.message as SyncReply;
        if (reply.seq === seq) return reply.value;
      }
      Atomics.wait(this.flag, 0, seen);
    }
  }
}

/** Electron's `contextBridge`. */
export class StandinContextBridge implements Pick<ContextBridge, 'exposeInMainWorld'> {
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (Object.prototype.hasOwnProperty.call(globalThis, apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
    const copy = deepFreeze(acrossWorlds(api));
    Object.defineProperty(globalThis, apiKey, { value: copy, writable: false, enumerable: true, configurable: false });
  }
}

/** What `require('electron')` gives a sandboxed preload in the stand-in. */
export interface PreloadElectronStandin {
  ipcRenderer: StandinIpcRenderer;
  contextBridge: StandinContextBridge;
}

/**
 * Run `preload` with the stand-in's `ipcRenderer` and `contextBridge`. Only what the preload
 * exposes reaches the page: nothing here is put on the page's global.
 */
export function runPreload(preload: (electron: PreloadElectronStandin) => void): void {
  preload({ ipcRenderer: new StandinIpcRenderer(), contextBridge: new StandinContextBridge() });
}

/** Tell main the page finished loading (`dom-ready`, `did-finish-load`). */
export function pageLoaded(): void {
  const m: PageToMain = { k: 'loaded' };
  boot.port.postMessage(m);
}

/** The spec's `workerData` for this page. */
export const pageData: unknown = (workerData as { data?: unknown }).data;
