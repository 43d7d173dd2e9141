/**
 * `remora/electron/main`: the Electron adapter for main.
 *
 * It listens on remora's IPC channels, keeps one session per page load (per webContents,
 * frame and load generation) for the webContents the app chose to serve (`serve`), and ends
 * that session when the page goes (page-lifecycle.ts says which Electron event means what:
 * navigation, error page, subframe navigation, crash, destroy, a frame `sendToFrame` no
 * longer finds). Ending the session releases everything the page held: refs, listeners it
 * added in main, subscriptions. Each session's info carries the sending frame per message
 * (`senderFrame()`), for policies that check who sent a call. It also answers `current` requests (`remote.getCurrentWindow()`,
 * `getCurrentWebContents()`) with actors for the sender's own window and webContents.
 *
 * The adapter adapts Electron and nothing more: it imports only Electron's types.
 *
 * @example
 * ```ts
 * import { app, BrowserWindow, ipcMain } from 'electron';
 * import { createElectronBroker } from 'remora/electron/main';
 *
 * const { broker } = createElectronBroker({ ipcMain, BrowserWindow });
 * broker.exposeModule('settings', () => new Settings());
 * ```
 * @module remora/electron/main
 */
import type { ActorSpec } from '../actor/spec.js';
import { webContentsActor } from '../../actors/webcontents-actor.js';
import { windowActor } from '../../actors/window-actor.js';
import type { Actor } from '../actor/actor.js';
import * as errors from '../errors/factories.js';
import { type Broker, createBroker } from '../entries/main.js';
import type { Session } from '../main/session.js';
import type { CloseReason } from '../transport.js';
import { CHANNELS, isControl, type PushControl } from './channel.js';
import { IpcMainTransport } from './ipc-main-transport.js';
import { watchLifecycle } from './page-lifecycle.js';
import type { IpcListener, IpcMainEventLike, SenderFrameLike, WebContentsActorTarget, WebContentsLike, WindowLike } from './types.js';

import type { ElectronAdapterOptions, ElectronBrokerOptions, ElectronSessionInfo } from './options.js';

export type { BrowserWindowStatics, EmitterLike, IpcListener, IpcMainEventLike, IpcMainLike, SenderFrameLike, WebContentsLike, WindowLike } from './types.js';
export type { ElectronAdapterOptions, ElectronBrokerOptions, ElectronSessionInfo, ServeRequest, WindowAccessRequest } from './options.js';

interface Page {
  readonly key: string;
  readonly pageId: string;
  readonly transport: IpcMainTransport;
  readonly session: Session;
}

interface Watched {
  readonly wc: WebContentsLike;
  /** `wc.id`, read while alive (Electron throws for it after destroy). */
  readonly id: number;
  readonly pages: Set<Page>;
  generation: number;
  off: () => void;
}

interface Held {
  readonly actor: Actor;
  readonly off: () => void;
}

const MAX_CLOSED_PAGES = 256;
const PAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;

function listen(target: WindowLike | WebContentsLike, event: string, fn: () => void): () => void {
  target.on(event, fn);
  return () => target.removeListener(event, fn);
}

function frameOf(event: IpcMainEventLike): SenderFrameLike | null {
  try {
    return event.senderFrame ?? null;
  } catch {
    return null;
  }
}

/** The adapter between Electron's IPC and a broker. Create it with {@link attachElectron} or {@link createElectronBroker}. */
export class ElectronAdapter {
  private readonly pages = new Map<string, Page>();
  private readonly watched = new Map<number, Watched>();
  private readonly closedPages = new Set<string>();
  /** Page loads `serve` refused (asked once per page load). */
  private readonly deniedPages = new Set<string>();
  private readonly windows = new Map<number, Held>();
  private readonly contents = new Map<number, Held>();
  private readonly maxSyncMs: number;
  private detached = false;

  constructor(
    /** The broker sessions connect to. */
    readonly broker: Broker,
    private readonly options: ElectronAdapterOptions,
  ) {
    this.maxSyncMs = options.maxSyncMs ?? 30_000;
    options.ipcMain.on(CHANNELS.frame, this.onFrame);
    options.ipcMain.on(CHANNELS.sync, this.onSync);
  }

  private readonly onFrame: IpcListener = (event, pageId, message) => {
    if (isControl(message)) {
      const page = this.pages.get(frameKey(event));
      if (message.__remora === 'close' && page && page.pageId === pageId) this.end(page, { kind: 'renderer-closed' });
      return;
    }
    const page = this.pageFor(event, pageId);
    if (page === 'denied') this.tellDenied(event, pageId as string);
    if (typeof page !== 'object') return;
    page.transport.sender.event = event;
    page.transport.receive(message);
  };

  private readonly onSync: IpcListener = (event, pageId, message, timeoutMs) => {
    const page = this.pageFor(event, pageId);
    if (typeof page !== 'object') {
      event.returnValue = page === 'denied'
        ? { __remora: 'denied', detail: 'main does not serve this webContents' }
        : { __remora: 'closed', detail: 'this page has no live session' };
      return;
    }
    page.transport.sender.event = event;
    page.transport.receiveSync(event, message, timeoutMs);
  };

  /** The live page for this message, opening a session for a new page load ('denied' if main does not serve it). */
  private pageFor(event: IpcMainEventLike, pageId: unknown): Page | 'denied' | undefined {
    if (this.detached || typeof pageId !== 'string' || !PAGE_ID.test(pageId) || this.closedPages.has(pageId)) return undefined;
    if (this.deniedPages.has(pageId)) return 'denied';
    const key = frameKey(event);
    const existing = this.pages.get(key);
    if (existing?.pageId === pageId) return existing;
    const wc = event.sender;
    if (wc.isDestroyed()) return undefined;
    const frame = frameOf(event);
    const url = frame?.url ?? wc.getURL();
    if (this.options.serve && !this.options.serve({ webContents: wc, frame, url, processId: event.processId, frameId: event.frameId })) {
      remember(this.deniedPages, pageId);
      return 'denied';
    }
    // A new page id in a frame means a new page load there: the previous generation is over.
    if (existing) this.end(existing, { kind: 'navigate', detail: 'a new page loaded in this frame' });
    const w = this.watch(wc);
    const transport = new IpcMainTransport({ webContents: wc, processId: event.processId, frameId: event.frameId, pageId }, this.maxSyncMs, { event });
    const senderFrame = (): { url: string; origin: string } | null => {
      const f = transport.senderFrame();
      return f ? { url: f.url, origin: f.origin } : null;
    };
    const info: ElectronSessionInfo = {
      webContentsId: w.id, processId: event.processId, frameId: event.frameId, pageId, generation: ++w.generation, url, origin: frame?.origin ?? originOf(url), senderFrame,
    };
    const session = this.broker.connect(transport, { ...info });
    const page: Page = { key, pageId, transport, session };
    this.pages.set(key, page);
    w.pages.add(page);
    transport.closed$.subscribe(() => {
      if (this.pages.get(key) === page) this.pages.delete(key);
      w.pages.delete(page);
      remember(this.closedPages, pageId);
    });
    return page;
  }

  /** Tell a refused page's connection it is over (its async calls fail with E_CLOSED, not hang). */
  private tellDenied(event: IpcMainEventLike, pageId: string): void {
    const bye: PushControl = { __remora: 'bye', reason: 'denied', detail: 'main does not serve this page' };
    try {
      event.sender.sendToFrame([event.processId, event.frameId], CHANNELS.push, pageId, bye);
    } catch {
      /* the frame is gone */
    }
  }

  private end(page: Page, reason: CloseReason): void {
    page.transport.end(reason);
  }

  private endAll(w: Watched, reason: CloseReason, which: (p: Page) => boolean = () => true): void {
    for (const p of [...w.pages]) if (which(p)) this.end(p, reason);
  }

  private watch(wc: WebContentsLike): Watched {
    const id = wc.id;
    let w = this.watched.get(id);
    if (w) return w;
    const rec: Watched = { wc, id, pages: new Set(), generation: 0, off: () => undefined };
    const own = this.options.BrowserWindow?.fromWebContents(wc) ?? null;
    rec.off = watchLifecycle(wc, own, {
      pages: () => [...rec.pages].map((p) => p.transport),
      end: (which, reason) => this.endAll(rec, reason, (p) => which(p.transport)),
      destroyed: () => {
        this.unwatch(rec);
        this.drop(this.contents, id);
      },
    });
    this.watched.set(id, rec);
    return rec;
  }

  private unwatch(w: Watched): void {
    w.off();
    this.watched.delete(w.id);
  }

  private hold(table: Map<number, Held>, id: number, spec: () => ActorSpec, owner: WindowLike | WebContentsLike, endEvent: string): Actor {
    const held = table.get(id);
    if (held) return held.actor;
    const actor = this.broker.spawn(spec());
    const off = listen(owner, endEvent, () => this.drop(table, id));
    table.set(id, { actor, off });
    return actor;
  }

  private drop(table: Map<number, Held>, id: number): void {
    const held = table.get(id);
    if (!held) return;
    table.delete(id);
    held.off();
    held.actor.supervisor.release(held.actor);
  }

  private windowActorFor(win: WindowLike): Actor {
    return this.hold(this.windows, win.id, () => windowActor(win, this.options.actorOptions), win, 'closed');
  }

  /**
   * Resolve a `current` request (the broker's `current` option): `window` (the sender's
   * window), `webContents` (the sender's webContents), or `window:<id>` (another window, if
   * {@link ElectronAdapterOptions.reachWindow} allows it).
   */
  current(session: Session, what: string): Actor | undefined {
    const wcId = (session.info as Partial<ElectronSessionInfo>).webContentsId;
    const w = typeof wcId === 'number' ? this.watched.get(wcId) : undefined;
    if (!w || w.wc.isDestroyed()) return undefined;
    if (what === 'webContents') {
      return this.hold(this.contents, w.id, () => webContentsActor(w.wc as WebContentsActorTarget, this.options.actorOptions), w.wc, 'destroyed');
    }
    const BW = this.options.BrowserWindow;
    if (!BW) return undefined;
    const own = BW.fromWebContents(w.wc);
    if (what === 'window') return own && !own.isDestroyed() ? this.windowActorFor(own) : undefined;
    const m = /^window:(\d+)$/.exec(what);
    if (!m) return undefined;
    const target = BW.fromId(Number(m[1]));
    if (!target || target.isDestroyed()) {
      throw errors.of('E_NO_OBJECT', `No window with id ${m[1]}.`);
    }
    if (target !== own && !(this.options.reachWindow?.({ session, window: target }) ?? false)) {
      throw errors.of('E_DENIED', `Denied: this renderer may not reach window ${m[1]}. Main allows other windows with the reachWindow option (see docs/security.md).`);
    }
    return this.windowActorFor(target);
  }

  /** Live sessions of one webContents (all its frames). */
  sessionsOf(webContentsId: number): Session[] {
    return [...(this.watched.get(webContentsId)?.pages ?? [])].map((p) => p.session);
  }

  /** Counts of the adapter's own tables (for tests and tooling). */
  stats(): {
    /** Page loads with a live session (one per webContents, frame and load). */
    pages: number;
    /** webContents the adapter watches: it served a page there and the webContents is not destroyed yet. */
    webContents: number;
    /** Window actors alive: one per window a renderer reached (`getCurrentWindow()`, `window:<id>`), released when it closes. */
    windowActors: number;
    /** webContents actors alive: one per webContents a renderer reached (`getCurrentWebContents()`), released when it is destroyed. */
    webContentsActors: number;
    /** Renderers blocked in a synchronous call now, waiting for main's reply. */
    syncWaiting: number;
  } {
    let syncWaiting = 0;
    for (const p of this.pages.values()) syncWaiting += p.transport.pendingSync;
    return { pages: this.pages.size, webContents: this.watched.size, windowActors: this.windows.size, webContentsActors: this.contents.size, syncWaiting };
  }

  /** Stop listening to Electron and end every page's session. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.options.ipcMain.removeListener(CHANNELS.frame, this.onFrame);
    this.options.ipcMain.removeListener(CHANNELS.sync, this.onSync);
    for (const w of [...this.watched.values()]) {
      this.endAll(w, { kind: 'shutdown' });
      this.unwatch(w);
    }
    for (const id of [...this.windows.keys()]) this.drop(this.windows, id);
    for (const id of [...this.contents.keys()]) this.drop(this.contents, id);
  }
}

/** A plain snapshot of main's process for `remote.process` (never the live `process` object). */
export interface ProcessInfo {
  /** Always `browser`: Electron's `process.type` in main. */
  readonly type: 'browser';
  /** Main's `process.platform` (`darwin`, `linux`, `win32`, ...). */
  readonly platform: string;
  /** Main's `process.arch` (`x64`, `arm64`, ...). */
  readonly arch: string;
  /** A copy of main's `process.versions` (`node`, `chrome`, `electron`, `v8`, ...) when the snapshot was taken. */
  readonly versions: Readonly<Record<string, string | undefined>>;
}

/**
 * The snapshot to expose as the `process` global, for renderers that read `remote.process`
 * (opt in: `broker.exposeGlobal('process', processInfo())`). The live `process` is never
 * sent: it is on the forbidden list (see docs/security.md).
 */
export function processInfo(): ProcessInfo {
  return { type: 'browser', platform: process.platform, arch: process.arch, versions: { ...process.versions } };
}

/** Add `id` to a bounded set of page ids (the oldest goes first). */
function remember(set: Set<string>, id: string): void {
  set.add(id);
  if (set.size > MAX_CLOSED_PAGES) set.delete(set.values().next().value!);
}

function frameKey(event: IpcMainEventLike): string {
  return `${event.sender.id}:${event.processId}:${event.frameId}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/**
 * Attach Electron to an existing broker. For `getCurrentWindow()` to work the broker must
 * resolve `current` through the adapter; {@link createElectronBroker} wires that for you.
 * @example
 * ```ts
 * let electron: ElectronAdapter | undefined;
 * const broker = createBroker({ current: (s, what) => electron?.current(s, what) });
 * electron = attachElectron(broker, { ipcMain, BrowserWindow });
 * ```
 */
export function attachElectron(broker: Broker, options: ElectronAdapterOptions): ElectronAdapter {
  return new ElectronAdapter(broker, options);
}

/**
 * Create a broker wired to Electron: sessions per page load, `current` resolved to the
 * sender's window and webContents.
 */
export function createElectronBroker(options: ElectronBrokerOptions): {
  /** The broker (with the default actor kinds); expose modules and globals on it. */
  broker: Broker;
  /** The adapter attached to it; `electron.detach()` stops listening to Electron and ends every page's session. */
  electron: ElectronAdapter;
} {
  const { ipcMain, BrowserWindow, reachWindow, serve, maxSyncMs, actorOptions, ...brokerOptions } = options;
  let electron: ElectronAdapter | undefined;
  const userCurrent = brokerOptions.current;
  const broker = createBroker({ ...brokerOptions, current: (s, what) => electron?.current(s, what) ?? userCurrent?.(s, what) });
  electron = attachElectron(broker, { ipcMain, BrowserWindow, reachWindow, serve, maxSyncMs, actorOptions });
  return { broker, electron };
}
