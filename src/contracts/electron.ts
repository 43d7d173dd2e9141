/**
 * What a page and main agree on about Electron's window and webContents actors: the
 * facades' method sets and the events they deliver, with their payloads. Neutral ground:
 * `remora/electron/renderer` types its handles with it and `actors/` implements it, so a
 * page bundle never pulls the main-side actors in. Imports nothing.
 * @packageDocumentation
 */

/** A window's bounds, as plain data. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Window events a renderer may observe, and the payload each delivers. */
export interface WindowEventMap {
  resize: Bounds;
  move: Bounds;
  focus: undefined;
  blur: undefined;
  show: undefined;
  hide: undefined;
  maximize: undefined;
  unmaximize: undefined;
  minimize: undefined;
  restore: undefined;
  'enter-full-screen': undefined;
  'leave-full-screen': undefined;
  /** The window is about to close (main decides; the renderer cannot prevent it). */
  close: undefined;
  closed: undefined;
}

/** Names of {@link WindowEventMap}. */
export type WindowEventName = keyof WindowEventMap;

/** webContents events a renderer may observe, and the payload each delivers. */
export interface WebContentsEventMap {
  'did-finish-load': undefined;
  'dom-ready': undefined;
  /** The new URL of an in-page navigation of the main frame (subframes' are not delivered). */
  'did-navigate-in-page': string;
  /** The new title. */
  'page-title-updated': string;
  'devtools-opened': undefined;
  'devtools-closed': undefined;
  /** `in` or `out`. */
  'zoom-changed': string;
}

/** Names of {@link WebContentsEventMap}. */
export type WebContentsEventName = keyof WebContentsEventMap;

/**
 * A renderer's view of one `BrowserWindow` (what `remote.getCurrentWindow()` reaches).
 * Methods mirror `BrowserWindow`'s; events deliver the payloads of {@link WindowEventMap}.
 */
export interface WindowFacade {
  /** The window's id (`BrowserWindow.id`). */
  getId(): number;
  /** Bounds as plain data. */
  getBounds(): Bounds;
  /** Move and resize. */
  setBounds(bounds: Partial<Bounds>): void;
  /** `[width, height]`. */
  getSize(): number[];
  /** Resize. */
  setSize(width: number, height: number): void;
  /** `[x, y]`. */
  getPosition(): number[];
  /** Move. */
  setPosition(x: number, y: number): void;
  /** The title. */
  getTitle(): string;
  /** Set the title. */
  setTitle(title: string): void;
  /** Focus the window. */
  focus(): void;
  /** Remove focus. */
  blur(): void;
  /** Whether the window has focus. */
  isFocused(): boolean;
  /** Show the window. */
  show(): void;
  /** Hide the window. */
  hide(): void;
  /** Whether the window is visible. */
  isVisible(): boolean;
  /** Maximize. */
  maximize(): void;
  /** Leave the maximized state. */
  unmaximize(): void;
  /** Whether maximized. */
  isMaximized(): boolean;
  /** Minimize. */
  minimize(): void;
  /** Restore from minimized. */
  restore(): void;
  /** Whether minimized. */
  isMinimized(): boolean;
  /** Enter or leave full screen. */
  setFullScreen(flag: boolean): void;
  /** Whether full screen. */
  isFullScreen(): boolean;
  /** Ask the window to close (main's `close` handlers may still prevent it). */
  close(): void;
  /** Whether the window was destroyed. */
  isDestroyed(): boolean;
  /** Listen to a window event. */
  on<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void;
  /** Same as `on`. */
  addListener<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void;
  /** Stop listening. */
  removeListener<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void;
  /** Same as `removeListener`. */
  off<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void;
}

/** A renderer's view of one `webContents` (what `remote.getCurrentWebContents()` reaches). */
export interface WebContentsFacade {
  /** `webContents.id`. */
  getId(): number;
  /** The current URL. */
  getURL(): string;
  /** The page title. */
  getTitle(): string;
  /** Whether the page is loading. */
  isLoading(): boolean;
  /** Reload the page (this ends the calling page's session, as any reload does). */
  reload(): void;
  /** The zoom factor. */
  getZoomFactor(): number;
  /** Set the zoom factor. */
  setZoomFactor(factor: number): void;
  /** Whether devtools are open. */
  isDevToolsOpened(): boolean;
  /** Open devtools. */
  openDevTools(): void;
  /** Close devtools. */
  closeDevTools(): void;
  /** Whether the webContents was destroyed. */
  isDestroyed(): boolean;
  /** Listen to a page event. */
  on<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void;
  /** Same as `on`. */
  addListener<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void;
  /** Stop listening. */
  removeListener<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void;
  /** Same as `removeListener`. */
  off<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void;
}
