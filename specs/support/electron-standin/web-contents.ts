/**
 * The stand-in `webContents`: a main frame and any iframes, each document a {@link PageHost}
 * in a real worker thread. Event order and arguments follow Electron's (docs/api/web-contents.md
 * and shell/browser/api/electron_api_web_contents.cc `DidFinishNavigation`):
 *
 * - `reload()` / `loadURL()`: `did-start-navigation`; the old document is unloaded; then
 *   `did-frame-navigate` + `did-navigate` (committed, not an error page), the new document loads
 *   (the preload runs again), `dom-ready`, `did-finish-load`.
 * - A navigation that fails commits an error page and emits only `did-fail-load` (errorCode,
 *   errorDescription, validatedURL, isMainFrame, frameProcessId, frameRoutingId): no
 *   `did-navigate`, no `did-frame-navigate` (`DidFinishNavigation` emits those only when
 *   `!IsErrorPage()`). No remora page runs in an error page.
 * - Navigation and close wait while the page is blocked in `sendSync` (the renderer's main
 *   thread must run unload and commit): up to the moment main answers, that is up to the sync
 *   call's deadline. After `HANG_MS` of waiting the webContents emits `unresponsive` (Chromium's
 *   hang monitor; Electron forwards it as `unresponsive`), and `responsive` when it recovers.
 * - iframes (`attachFrame`) have their own frame host; the preload runs in them only with
 *   `nodeIntegrationInSubFrames` (docs/api/browser-window.md, webPreferences). A same-site
 *   navigation keeps a frame's ids, a cross-site one reports new ids (see frames.ts).
 *   `did-navigate-in-page` fires for subframes too, with `isMainFrame` false.
 * - `render-process-gone` is emitted for the main frame's process only
 *   (`PrimaryMainFrameRenderProcessGone`).
 * - After `destroy()` every native member but `isDestroyed()` throws (destroyable.ts).
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { RenderProcessGoneDetails, WebContents } from 'electron';
import { destroyable } from './destroyable.js';
import { failsToLoad, FrameHost } from './frames.js';
import { PageHost } from './page-host.js';

/** How long navigation or close waits on a blocked page before `unresponsive` is emitted (scaled down from Chromium's). */
export const HANG_MS = 1000;

/** Options of a stand-in webContents. */
export interface StandinPageOptions {
  /** Fixture name: `specs/fixtures/<page>.renderer.ts` is the page (preload + page script). */
  page: string;
  /** `workerData.data` of every page load. */
  data?: unknown;
  /** Initial URL. */
  url?: string;
  /** Run the preload (and the page script) in iframes too. Default false, as in Electron. */
  nodeIntegrationInSubFrames?: boolean;
}

interface Frame {
  host: FrameHost;
  page: PageHost | undefined;
}

let nextWebContentsId = 1;

/** Members that are native in Electron (they throw after destroy). */
const NATIVE: ReadonlySet<PropertyKey> = new Set([
  'id', 'getURL', 'getTitle', 'isLoading', 'send', 'sendToFrame', 'reload', 'loadURL', 'forcefullyCrashRenderer',
  'getZoomFactor', 'setZoomFactor', 'isDevToolsOpened', 'openDevTools', 'closeDevTools', 'mainFrame',
]);

/** Electron's `webContents`. */
export class StandinWebContents
  extends EventEmitter
  implements Pick<WebContents, 'id' | 'getURL' | 'isDestroyed' | 'send' | 'sendToFrame' | 'reload' | 'loadURL' | 'forcefullyCrashRenderer' | 'getTitle' | 'isLoading' | 'getZoomFactor' | 'setZoomFactor' | 'isDevToolsOpened' | 'openDevTools' | 'closeDevTools'>
{
  readonly id = nextWebContentsId++;
  private main: Frame;
  private readonly subframes = new Map<number, Frame>();
  private destroyed = false;
  private loading = false;
  private zoom = 1;
  private devtools = false;
  private title = '';
  private navigation: Promise<void> = Promise.resolve();
  /** Page loads so far (main frame). */
  loads = 0;

  constructor(private readonly ipcMain: EventEmitter, private readonly options: StandinPageOptions) {
    super();
    this.main = { host: FrameHost.create(true, options.url ?? 'app://index.html'), page: undefined };
    const self = destroyable(this, NATIVE, () => this.destroyed);
    self.navigation = self.load();
    return self;
  }

  /** The main frame's page worker (for specs that drive it). */
  get worker(): Worker | undefined {
    return this.main.page?.worker;
  }
  /** The main frame's host (ids, url, live). */
  get mainFrameHost(): FrameHost {
    return this.main.host;
  }
  /** Resolves when the navigation in progress (or the last one) is over. */
  whenLoaded(): Promise<void> {
    return this.navigation.catch(() => undefined);
  }

  getURL(): string {
    return this.main.host.url;
  }
  getTitle(): string {
    return this.title || this.main.host.url;
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
    this.main.page?.post(channel, args);
  }

  /** Electron: `false` when no live frame has these ids (lib/browser/api/web-contents.ts). */
  sendToFrame(frameId: number | [number, number], channel: string, ...args: unknown[]): boolean {
    const [processId, routingId] = Array.isArray(frameId) ? frameId : [this.main.host.processId, frameId];
    const f = this.frames().find((x) => x.host.live && x.host.processId === processId && x.host.routingId === routingId);
    if (!f) return false;
    f.page?.post(channel, args);
    return true;
  }

  reload(): void {
    this.navigation = this.navigate(this.main.host.url);
    this.navigation.catch(() => undefined);
  }

  loadURL(url: string): Promise<void> {
    this.navigation = this.navigate(url);
    return this.navigation;
  }

  forcefullyCrashRenderer(): void {
    const pid = this.main.host.processId;
    if (!this.main.page || this.main.page.gone) return;
    for (const f of this.frames()) {
      if (f.host.processId !== pid) continue;
      f.host.live = false;
      const p = f.page;
      if (!p) continue;
      p.gone = true;
      if (f === this.main) void p.worker.terminate().then((code) => this.crashed({ reason: 'crashed', exitCode: code || 133 }));
      else void p.worker.terminate();
    }
  }

  /** Destroy the webContents (as when its window closes): at once, without waiting for the page. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const f of this.frames()) {
      f.host.live = false;
      void f.page?.unload();
      f.page = undefined;
    }
    this.subframes.clear();
    this.emit('destroyed');
  }

  /** Whether a page of this webContents is blocked in a sync call. */
  hasBlockedPage(): boolean {
    return this.frames().some((f) => f.page?.isBlocked);
  }

  /** Resolves when no page of this webContents is blocked in a sync call (what close and navigation wait for). */
  async whenUnblocked(frames: Frame[] = this.frames()): Promise<void> {
    const blocked = frames.map((f) => f.page).filter((p): p is PageHost => !!p && p.isBlocked);
    if (blocked.length === 0) return;
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      if (!this.destroyed) this.emit('unresponsive');
    }, HANG_MS);
    await Promise.all(blocked.map((p) => p.whenUnblocked()));
    clearTimeout(timer);
    if (hung && !this.destroyed) this.emit('responsive');
  }

  // ---------------------------------------------------------------- iframes

  /** Add an iframe loading `url`; resolves with its frameTreeNodeId once its page loaded. */
  async attachFrame(url: string, sameProcess = true): Promise<number> {
    const host = FrameHost.create(false, url, sameProcess ? this.main.host.processId : undefined);
    const f: Frame = { host, page: undefined };
    this.subframes.set(host.frameTreeNodeId, f);
    await this.commitSubframe(f);
    return host.frameTreeNodeId;
  }

  /** The worker of an iframe's page. */
  frameWorker(frameTreeNodeId: number): Worker | undefined {
    return this.subframes.get(frameTreeNodeId)?.page?.worker;
  }
  /** An iframe's host. */
  frameHost(frameTreeNodeId: number): FrameHost | undefined {
    return this.subframes.get(frameTreeNodeId)?.host;
  }

  /** Navigate an iframe (same-site keeps its host and ids; cross-site reports new ids). */
  async navigateFrame(frameTreeNodeId: number, url: string): Promise<void> {
    const f = this.subframes.get(frameTreeNodeId);
    if (!f) throw new Error(`no frame ${frameTreeNodeId}`);
    const ev = { url, isSameDocument: false, isMainFrame: false, frame: f.host, initiator: null, preventDefault() {} };
    this.emit('did-start-navigation', ev, url, false, false, f.host.processId, f.host.routingId);
    await this.whenUnblocked([f]);
    await f.page?.unload();
    f.page = undefined;
    f.host = f.host.navigated(url);
    await this.commitSubframe(f);
  }

  /** Remove an iframe from the document (its page unloads; no webContents event, as in Electron). */
  async detachFrame(frameTreeNodeId: number): Promise<void> {
    const f = this.subframes.get(frameTreeNodeId);
    if (!f) return;
    this.subframes.delete(frameTreeNodeId);
    f.host.live = false;
    await f.page?.unload();
  }

  /** An in-page navigation (pushState, hash) of the main frame or an iframe. */
  navigateInPage(url: string, frameTreeNodeId?: number): void {
    const f = frameTreeNodeId === undefined ? this.main : this.subframes.get(frameTreeNodeId);
    if (!f) return;
    f.host.url = url;
    this.emit('did-navigate-in-page', { preventDefault() {} }, url, f === this.main, f.host.processId, f.host.routingId);
  }

  private async commitSubframe(f: Frame): Promise<void> {
    const host = f.host;
    this.emit('did-frame-navigate', { preventDefault() {} }, host.url, 200, 'OK', false, host.processId, host.routingId);
    if (!this.options.nodeIntegrationInSubFrames) return;
    const page = new PageHost(this, this.ipcMain, host, this.options.page, this.options.data, () => undefined);
    f.page = page;
    await Promise.race([page.loaded, page.exited]);
  }

  // ---------------------------------------------------------------- main frame

  private frames(): Frame[] {
    return [this.main, ...this.subframes.values()];
  }

  private crashed(details: RenderProcessGoneDetails): void {
    if (this.destroyed) return;
    this.loading = false;
    this.emit('render-process-gone', { preventDefault() {} }, details);
  }

  private async navigate(url: string): Promise<void> {
    await this.navigation.catch(() => undefined);
    if (this.destroyed) return;
    const host = this.main.host;
    const ev = { url, isSameDocument: false, isMainFrame: true, frame: host.live ? host : null, initiator: null, preventDefault() {} };
    this.emit('did-start-navigation', ev, url, false, true, host.processId, host.routingId);
    this.loading = true;
    await this.whenUnblocked();
    if (this.destroyed) return;
    // Commit: the old documents go away before the new one exists.
    const old = this.frames();
    this.main = { host: host.navigated(url), page: undefined };
    for (const f of old) {
      if (f !== old[0]) f.host.live = false;
      await f.page?.unload();
      f.page = undefined;
    }
    this.subframes.clear();
    if (failsToLoad(url)) {
      // An error page commits (in its own host): only did-fail-load.
      if (this.main.host === host) {
        host.live = false;
        this.main = { host: FrameHost.create(true, url), page: undefined };
      }
      this.loading = false;
      const h = this.main.host;
      this.emit('did-fail-load', { preventDefault() {} }, -105, 'ERR_NAME_NOT_RESOLVED', url, true, h.processId, h.routingId);
      this.emit('did-stop-loading');
      throw Object.assign(new Error(`ERR_NAME_NOT_RESOLVED (-105) loading '${url}'`), { errno: -105, code: 'ERR_NAME_NOT_RESOLVED', url });
    }
    await this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loads++;
    const f = this.main;
    if (!f.host.live) f.host = FrameHost.create(true, f.host.url); // after a crash: a new process
    const page = new PageHost(this, this.ipcMain, f.host, this.options.page, this.options.data, (code) => {
      if (f.page === page) this.crashed({ reason: code === 0 ? 'clean-exit' : 'crashed', exitCode: code });
    });
    f.page = page;
    const ev = { preventDefault() {} };
    this.emit('did-frame-navigate', ev, f.host.url, 200, 'OK', true, f.host.processId, f.host.routingId);
    this.emit('did-navigate', ev, f.host.url, 200, 'OK');
    await Promise.race([page.loaded, page.exited]);
    if (f.page !== page || this.main !== f) return;
    this.loading = false;
    if (page.gone) throw page.error ?? new Error('the page died while loading');
    this.emit('dom-ready', ev);
    this.emit('did-finish-load');
  }
}
