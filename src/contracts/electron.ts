/**
 * What a page and main agree on about Electron's window and webContents actors: the
 * facades' method sets and the events they deliver, with their payloads. Neutral ground:
 * `remora/electron/renderer` types its handles with it and `actors/` implements it, so a
 * page bundle never pulls the main-side actors in. Imports nothing.
 * @packageDocumentation
 */

/**
 * A window's bounds, as plain data: the outer rectangle `BrowserWindow.getBounds()` reports,
 * in screen coordinates (device-independent pixels, like every Electron geometry).
 */
export interface Bounds {
  /** Left edge, from the left of the screen area. */
  x: number;
  /** Top edge, from the top of the screen area. */
  y: number;
  /** Width, frame included. */
  width: number;
  /** Height, frame included. */
  height: number;
}

/** Window events a renderer may observe, and the payload each delivers. */
export interface WindowEventMap {
  /** The window was resized; delivers its bounds read when the event reached main. */
  resize: Bounds;
  /** The window was moved; delivers its bounds read when the event reached main. */
  move: Bounds;
  /** The window gained focus. */
  focus: undefined;
  /** The window lost focus. */
  blur: undefined;
  /** The window was shown. */
  show: undefined;
  /** The window was hidden. */
  hide: undefined;
  /** The window was maximized. */
  maximize: undefined;
  /** The window left the maximized state. */
  unmaximize: undefined;
  /** The window was minimized. */
  minimize: undefined;
  /** The window was restored from minimized. */
  restore: undefined;
  /** The window entered full screen. */
  'enter-full-screen': undefined;
  /** The window left full screen. */
  'leave-full-screen': undefined;
  /** The window is about to close (main decides; the renderer cannot prevent it). */
  close: undefined;
  /** The window was closed (Electron's `closed`); from here on every method but `getId()` and `isDestroyed()` fails, since Electron's native window is gone. */
  closed: undefined;
}

/** Names of {@link WindowEventMap}. */
export type WindowEventName = keyof WindowEventMap;

/** webContents events a renderer may observe, and the payload each delivers. */
export interface WebContentsEventMap {
  /** Navigation finished and the page's `onload` was dispatched (Electron's `did-finish-load`). */
  'did-finish-load': undefined;
  /** The top-level frame's document is loaded (Electron's `dom-ready`). */
  'dom-ready': undefined;
  /** The new URL of an in-page navigation of the main frame (subframes' are not delivered). */
  'did-navigate-in-page': string;
  /** The new title. */
  'page-title-updated': string;
  /** Devtools were opened for this webContents. */
  'devtools-opened': undefined;
  /** Devtools were closed. */
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
