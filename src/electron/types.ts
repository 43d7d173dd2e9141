/**
 * The slices of Electron's main-process API the adapter and the window/webContents actors
 * use, derived from Electron's own typings (`import type` only: nothing here loads
 * Electron). Compile-time checks at the bottom prove Electron's real objects fit these
 * slices, so a drift in Electron's typings is a compile error here.
 * @packageDocumentation
 */
import type { BrowserWindow, IpcMain, IpcMainEvent, WebContents } from 'electron';

/**
 * Event registration as remora uses it. Electron's typed overloads fit it (checked below);
 * the return value (Electron returns `this`) is never used.
 */
export interface EmitterLike {
  /** Add a listener. */
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Remove a listener. */
  removeListener(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The `webContents` methods and events the adapter relies on. */
export type WebContentsLike = Pick<WebContents, 'id' | 'isDestroyed' | 'getURL' | 'sendToFrame'> & EmitterLike;

/** What the adapter reads from an `IpcMainEvent`. */
export interface IpcMainEventLike {
  /** The webContents that sent the message. */
  readonly sender: WebContentsLike;
  /** Routing id of the sending frame. */
  readonly frameId: number;
  /** Renderer process id of the sending frame. */
  readonly processId: number;
  /** The reply to a `sendSync` (setting it unblocks the renderer). */
  returnValue: unknown;
}

/** A listener on `ipcMain`. */
export type IpcListener = (event: IpcMainEventLike, ...args: unknown[]) => void;

/** The `ipcMain` methods the adapter uses. */
export interface IpcMainLike {
  /** Listen on a channel. */
  on(channel: string, listener: IpcListener): unknown;
  /** Stop listening. */
  removeListener(channel: string, listener: IpcListener): unknown;
}

/** The `BrowserWindow` instance methods the window actor wraps. */
export type WindowLike = Pick<
  BrowserWindow,
  | 'id' | 'isDestroyed' | 'getBounds' | 'setBounds' | 'getSize' | 'setSize' | 'getPosition' | 'setPosition'
  | 'getTitle' | 'setTitle' | 'focus' | 'blur' | 'isFocused' | 'show' | 'hide' | 'isVisible'
  | 'maximize' | 'unmaximize' | 'isMaximized' | 'minimize' | 'restore' | 'isMinimized'
  | 'setFullScreen' | 'isFullScreen' | 'close'
> &
  EmitterLike;

/** The `BrowserWindow` statics the adapter uses to find a sender's window (and others, if policy allows). */
export interface BrowserWindowStatics {
  /** The window owning `webContents`, or null. */
  fromWebContents(webContents: WebContentsLike): WindowLike | null;
  /** The window with this id, or null/undefined. */
  fromId(id: number): WindowLike | null | undefined;
}

/** The `webContents` methods the webContents actor wraps. */
export type WebContentsActorTarget = WebContentsLike &
  Pick<WebContents, 'getTitle' | 'isLoading' | 'reload' | 'getZoomFactor' | 'setZoomFactor' | 'isDevToolsOpened' | 'openDevTools' | 'closeDevTools'>;

// ------------------------------------------------------------------ drift checks
type Assert<T extends true> = T;
/** Electron's real objects satisfy the slices above (a compile error here means Electron's typings moved). */
export type ElectronFitsAdapter = [
  Assert<IpcMainEvent extends IpcMainEventLike ? true : false>,
  Assert<IpcMain extends IpcMainLike ? true : false>,
  Assert<BrowserWindow extends WindowLike ? true : false>,
  Assert<WebContents extends WebContentsActorTarget ? true : false>,
  Assert<typeof BrowserWindow extends BrowserWindowStatics ? true : false>,
];
