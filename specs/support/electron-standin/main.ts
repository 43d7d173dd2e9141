/**
 * A stand-in for Electron's main-process IPC objects (`ipcMain`, `webContents`,
 * `BrowserWindow`), faithful to Electron's documented semantics where remora depends on
 * them, with each page in a real worker thread:
 *
 * - `ipcMain` is an EventEmitter; listeners get `(event, ...args)`, arguments structured-cloned.
 * - `ipcRenderer.sendSync` truly blocks the page (Atomics) until main sets `event.returnValue`,
 *   which may happen after any number of awaits; with no listener the page gets `undefined`.
 * - `webContents.send` / `sendToFrame` reach the current page of that frame only.
 * - `reload()` / `loadURL()`: `did-start-navigation`, the old page is unloaded (its worker
 *   terminated), `did-frame-navigate` + `did-navigate`, then the new page loads (preload runs
 *   again), `dom-ready`, `did-finish-load`.
 * - `forcefullyCrashRenderer()`: the page's worker dies, `render-process-gone` with
 *   `{ reason: 'crashed' }`; the webContents stays (reload recovers). A page whose worker
 *   dies on its own is reported the same way.
 * - `BrowserWindow.close()`: `close` (preventable), `closed`, then the webContents `destroyed`.
 *
 * The classes implement slices of Electron's own types (and the adapter's), so a drift in
 * Electron's typings or in what the adapter needs is a compile error here.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { BrowserWindow, IpcMainEvent, RenderProcessGoneDetails, WebContents } from 'electron';
import type { BrowserWindowStatics, IpcMainEventLike, IpcMainLike, WebContentsActorTarget, WindowLike } from '../../../src/electron/types.js';
import type { MainToPage, PageBoot, PageToMain, SyncReply } from './wire.js';

const fixtures = fileURLToPath(new URL('../../../node_modules/.remora-fixtures', import.meta.url));

let nextProcessId = 100;
let nextWebContentsId = 1;
let nextWindowId = 1;
const MAIN_FRAME_ROUTING_ID = 1;

/** Electron's `ipcMain`: an EventEmitter of channels. */
export class StandinIpcMain extends EventEmitter implements IpcMainLike {}

/** Fields of an `IpcMainEvent` the stand-in models (the rest of Electron's event is not modelled). */
type ModelledEvent = Pick<IpcMainEvent, 'frameId' | 'processId' | 'type' | 'returnValue' | 'ports' | 'defaultPrevented' | 'preventDefault'>;

/** One loaded page: a worker thread with the stand-in's IPC pipe. */
class PageHost {
  readonly worker: Worker;
  readonly port: MessagePort;
  private readonly syncPort: MessagePort;
  private readonly flag: Int32Array;
  readonly processId = nextProcessId++;
  readonly routingId = MAIN_FRAME_ROUTING_ID;
  /** Set when the page is unloaded on purpose (navigation, crash, destroy). */
  gone = false;
  /** Resolves when the page reported it finished loading. */
  readonly loaded: Promise<void>;
  /** Resolves when the worker has exited. */
  readonly exited: Promise<number>;
  /** An uncaught error that killed the page, if any. */
  error: Error | undefined;

  constructor(private readonly wc: StandinWebContents, private readonly ipcMain: EventEmitter, script: string, data: unknown, onDied: (code: number) => void) {
    const a = new MessageChannel();
    const s = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    this.flag = new Int32Array(flag);
    this.port = a.port1;
    this.syncPort = s.port1;
    const boot: PageBoot = { port: a.port2, syncPort: s.port2, flag, processId: this.processId, routingId: this.routingId };
    this.worker = new Worker(join(fixtures, `${script}.renderer.mjs`), { workerData: { __standin: boot, data }, transferList: [a.port2, s.port2] });
    let markLoaded!: () => void;
    this.loaded = new Promise((r) => (markLoaded = r));
    this.worker.on('error', (e) => (this.error = e));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        resolve(code);
        if (!this.gone) {
          this.gone = true;
          onDied(code);
        }
      });
    });
    this.port.on('message', (m: PageToMain) => {
      if (this.gone) return;
      if (m.k === 'loaded') markLoaded();
      else if (m.k === 'send') this.ipcMain.emit(m.channel, this.event(undefined), ...m.args);
      else this.dispatchSync(m.channel, m.args, m.seq);
    });
  }

  private dispatchSync(channel: string, args: unknown[], seq: number): void {
    const event = this.event(seq);
    if (!this.ipcMain.emit(channel, event, ...args)) {
      // Electron warns "called ipcRenderer.sendSync() with '<channel>' channel without listeners" and returns undefined.
      event.returnValue = undefined;
    }
  }

  /** An `IpcMainEvent` for one message; for a sync message, setting `returnValue` replies (once). */
  private event(seq: number | undefined): IpcMainEventLike & ModelledEvent {
    const page = this;
    let replied = false;
    let value: unknown;
    const ev = {
      type: 'frame' as const,
      sender: this.wc,
      frameId: this.routingId,
      processId: this.processId,
      ports: [],
      defaultPrevented: false,
      preventDefault() {
        ev.defaultPrevented = true;
      },
      reply: (channel: string, ...args: unknown[]) => this.wc.sendToFrame([this.processId, this.routingId], channel, ...args),
      get senderFrame() {
        return page.gone ? null : { processId: page.processId, routingId: page.routingId };
      },
      get returnValue(): unknown {
        return value;
      },
      set returnValue(v: unknown) {
        value = v;
        if (seq === undefined || replied) return;
        replied = true;
        if (page.gone) return;
        const reply: SyncReply = { seq, value: v };
        page.syncPort.postMessage(reply);
        Atomics.add(page.flag, 0, 1);
        Atomics.notify(page.flag, 0);
      },
    };
    return ev;
  }

  post(channel: string, args: unknown[]): void {
    if (this.gone) return;
    const m: MainToPage = { k: 'msg', channel, args };
    this.port.postMessage(m);
  }

  /** Unload the page (navigation, crash, destroy): its worker is terminated. */
  async unload(): Promise<void> {
    this.gone = true;
    this.port.close();
    this.syncPort.close();
    await this.worker.terminate();
  }
}

/** Options of a stand-in webContents. */
export interface StandinPageOptions {
  /** Fixture name: `specs/fixtures/<page>.renderer.ts` is the page (preload + page script). */
  page: string;
  /** `workerData.data` of every page load. */
  data?: unknown;
  /** Initial URL. */
  url?: string;
}

/** Electron's `webContents`, for one page at a time (main frame only). */
export class StandinWebContents
  extends EventEmitter
  implements Pick<WebContents, 'id' | 'getURL' | 'isDestroyed' | 'send' | 'sendToFrame' | 'reload' | 'loadURL' | 'forcefullyCrashRenderer' | 'getTitle' | 'isLoading' | 'getZoomFactor' | 'setZoomFactor' | 'isDevToolsOpened' | 'openDevTools' | 'closeDevTools'>
{
  readonly id = nextWebContentsId++;
  private page: PageHost | undefined;
  private url: string;
  private destroyed = false;
  private loading = false;
  private zoom = 1;
  private devtools = false;
  private title = '';
  private navigation: Promise<void> = Promise.resolve();
  /** Page loads so far. */
  loads = 0;

  constructor(private readonly ipcMain: StandinIpcMain, private readonly options: StandinPageOptions) {
    super();
    this.url = options.url ?? 'app://index.html';
    this.navigation = this.load();
  }

  /** The current page's worker (for specs that inspect it). */
  get worker(): Worker | undefined {
    return this.page?.worker;
  }

  /** Resolves when the navigation in progress (or the last one) finished loading. */
  whenLoaded(): Promise<void> {
    return this.navigation;
  }

  getURL(): string {
    return this.url;
  }
  getTitle(): string {
    return this.title || this.url;
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getZoomFactor(): number {
    return this.zoom;
  }
  setZoomFactor(factor: number): void {
    this.zoom = factor;
  }
  isDevToolsOpened(): boolean {
    return this.devtools;
  }
  openDevTools(): void {
    if (this.devtools) return;
    this.devtools = true;
    this.emit('devtools-opened');
  }
  closeDevTools(): void {
    if (!this.devtools) return;
    this.devtools = false;
    this.emit('devtools-closed');
  }
  /** Stand-in for the page setting `document.title`. */
  setPageTitle(title: string): void {
    this.title = title;
    this.emit('page-title-updated', { preventDefault() {} }, title, false);
  }

  send(channel: string, ...args: unknown[]): void {
    this.page?.post(channel, args);
  }

  sendToFrame(frameId: number | [number, number], channel: string, ...args: unknown[]): void {
    const p = this.page;
    if (!p) return;
    const [processId, routingId] = Array.isArray(frameId) ? frameId : [p.processId, frameId];
    if (processId === p.processId && routingId === p.routingId) p.post(channel, args);
  }

  reload(): void {
    this.navigation = this.navigate(this.url);
  }

  loadURL(url: string): Promise<void> {
    this.navigation = this.navigate(url);
    return this.navigation;
  }

  forcefullyCrashRenderer(): void {
    const p = this.page;
    if (!p || p.gone) return;
    p.gone = true;
    void p.worker.terminate().then((code) => this.crashed({ reason: 'crashed', exitCode: code || 133 }));
  }

  /** Destroy the webContents (as when its window closes). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const p = this.page;
    this.page = undefined;
    void p?.unload();
    this.emit('destroyed');
  }

  private crashed(details: RenderProcessGoneDetails): void {
    if (this.destroyed) return;
    this.loading = false;
    this.emit('render-process-gone', { preventDefault() {} }, details);
  }

  private async navigate(url: string): Promise<void> {
    await this.navigation.catch(() => undefined);
    if (this.destroyed) return;
    const mainFrame = this.page ? { processId: this.page.processId, routingId: this.page.routingId } : null;
    this.emit('did-start-navigation', { url, isSameDocument: false, isMainFrame: true, frame: mainFrame, initiator: null, preventDefault() {} }, url, false, true, mainFrame?.processId ?? -1, MAIN_FRAME_ROUTING_ID);
    this.loading = true;
    const old = this.page;
    this.page = undefined;
    // Commit: the old document goes away before the new one exists.
    await old?.unload();
    this.url = url;
    await this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loads++;
    const page = new PageHost(this, this.ipcMain, this.options.page, this.options.data, (code) => {
      if (this.page === page) this.crashed({ reason: code === 0 ? 'clean-exit' : 'crashed', exitCode: code });
    });
    this.page = page;
    const ev = { preventDefault() {} };
    this.emit('did-frame-navigate', ev, this.url, -1, '', true, page.processId, page.routingId);
    this.emit('did-navigate', ev, this.url, -1, '');
    await Promise.race([page.loaded, page.exited]);
    if (this.page !== page) return;
    this.loading = false;
    if (page.gone) throw page.error ?? new Error('the page died while loading');
    this.emit('dom-ready', ev);
    this.emit('did-finish-load');
  }
}

/** Options of a stand-in window. */
export interface StandinWindowOptions extends StandinPageOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  title?: string;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Electron's `BrowserWindow`, with one webContents. */
export class StandinBrowserWindow extends EventEmitter implements WindowLike {
  private static readonly all = new Map<number, StandinBrowserWindow>();

  static fromWebContents(wc: { id: number }): StandinBrowserWindow | null {
    for (const w of StandinBrowserWindow.all.values()) if (w.webContents.id === wc.id) return w;
    return null;
  }
  static fromId(id: number): StandinBrowserWindow | null {
    return StandinBrowserWindow.all.get(id) ?? null;
  }
  static getAllWindows(): StandinBrowserWindow[] {
    return [...StandinBrowserWindow.all.values()];
  }

  readonly id = nextWindowId++;
  readonly webContents: StandinWebContents;
  private bounds: Rect;
  private title: string;
  private focused = false;
  private visible = true;
  private maximized = false;
  private minimized = false;
  private fullScreen = false;
  private destroyed = false;

  constructor(ipcMain: StandinIpcMain, options: StandinWindowOptions) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.title = options.title ?? 'remora';
    this.webContents = new StandinWebContents(ipcMain, options);
    StandinBrowserWindow.all.set(this.id, this);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Rect>): void {
    const old = this.bounds;
    this.bounds = { ...old, ...b };
    if (this.bounds.width !== old.width || this.bounds.height !== old.height) this.emit('resize', { preventDefault() {} });
    if (this.bounds.x !== old.x || this.bounds.y !== old.y) this.emit('move', { preventDefault() {} });
  }
  getSize(): number[] {
    return [this.bounds.width, this.bounds.height];
  }
  setSize(width: number, height: number): void {
    this.setBounds({ width, height });
  }
  getPosition(): number[] {
    return [this.bounds.x, this.bounds.y];
  }
  setPosition(x: number, y: number): void {
    this.setBounds({ x, y });
  }
  getTitle(): string {
    return this.title;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  focus(): void {
    this.flip('focused', true, 'focus');
  }
  blur(): void {
    this.flip('focused', false, 'blur');
  }
  isFocused(): boolean {
    return this.focused;
  }
  show(): void {
    this.flip('visible', true, 'show');
  }
  hide(): void {
    this.flip('visible', false, 'hide');
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    this.flip('maximized', true, 'maximize');
  }
  unmaximize(): void {
    this.flip('maximized', false, 'unmaximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  minimize(): void {
    this.flip('minimized', true, 'minimize');
  }
  restore(): void {
    this.flip('minimized', false, 'restore');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  setFullScreen(flag: boolean): void {
    this.flip('fullScreen', flag, flag ? 'enter-full-screen' : 'leave-full-screen');
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }

  private flip(key: 'focused' | 'visible' | 'maximized' | 'minimized' | 'fullScreen', to: boolean, event: string): void {
    if (this[key] === to) return;
    this[key] = to;
    this.emit(event, { preventDefault() {} });
  }

  /** Close: `close` (a listener may `event.preventDefault()`), then `closed` and the webContents' `destroyed`. */
  close(): void {
    if (this.destroyed) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }

  /** Close without `close` handlers. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    StandinBrowserWindow.all.delete(this.id);
    this.emit('closed');
    this.webContents.destroy();
  }
}

// ------------------------------------------------------------------ drift checks
// The stand-ins fit the adapter's slices of Electron (and those slices fit Electron, see src/electron/types.ts).
export const standinFitsAdapter = {
  ipcMain: new StandinIpcMain() satisfies IpcMainLike,
  BrowserWindow: StandinBrowserWindow satisfies BrowserWindowStatics,
};
// And they fit Electron's own signatures for what they model (class `implements` clauses above,
// and these):
type Fits<A, B> = [A] extends [B] ? true : false;
type Assert<T extends true> = T;
export type StandinFitsElectron = [
  Assert<Fits<StandinWebContents, WebContentsActorTarget>>,
  Assert<Fits<ReturnType<StandinBrowserWindow['getBounds']>, ReturnType<BrowserWindow['getBounds']>>>,
  Assert<Fits<Parameters<StandinBrowserWindow['setBounds']>[0], Parameters<BrowserWindow['setBounds']>[0]>>,
];
