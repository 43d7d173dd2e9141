/**
 * The page side of the Electron stand-in, inside a worker thread: `ipcRenderer` and
 * `contextBridge` as a sandboxed, context-isolated preload sees them.
 *
 * - `ipcRenderer.send` posts to main; `ipcRenderer.sendSync` posts and blocks the thread
 *   (`Atomics.wait`) until main sets `event.returnValue`, like Electron's renderer.
 * - Listeners get `(event, ...args)` where `event.sender` is `ipcRenderer` itself (which is why
 *   a preload must never hand the event to the page).
 * - `contextBridge.exposeInMainWorld(key, api)` copies `api` into the page's global the way
 *   Electron does across worlds: functions become proxies that copy their arguments and
 *   results, objects are copied without their prototypes, the exposed value is read-only.
 *   The page (everything outside the preload) gets only what was exposed.
 */
import { EventEmitter } from 'node:events';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { ContextBridge, IpcRenderer } from 'electron';
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

/** Copy a value across the world boundary the way `contextBridge` does. */
function acrossWorlds(v: unknown, depth = 0): unknown {
  if (depth > 1000) throw new Error('contextBridge: object too deep');
  if (typeof v === 'function') {
    const fn = v as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => acrossWorlds(fn(...args.map((a) => acrossWorlds(a, depth + 1))), depth + 1);
  }
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date || v instanceof RegExp || v instanceof Error) return structuredClone(v);
  if (Array.isArray(v)) return v.map((x) => acrossWorlds(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = acrossWorlds((v as Record<string, unknown>)[k], depth + 1);
  return out;
}

/** Electron's `contextBridge`. */
export class StandinContextBridge implements Pick<ContextBridge, 'exposeInMainWorld'> {
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (Object.prototype.hasOwnProperty.call(globalThis, apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
    const copy = acrossWorlds(api);
    Object.defineProperty(globalThis, apiKey, { value: copy && typeof copy === 'object' ? Object.freeze(copy) : copy, writable: false, enumerable: true, configurable: false });
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
