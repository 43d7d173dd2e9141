/**
 * The slices of Electron's main-process objects the window and webContents actors wrap,
 * derived from Electron's own typings (`import type` only: nothing here loads Electron).
 * They live beside the actors so `actors/` never imports the Electron adapter
 * (`src/electron`), which imports the actors. Compile-time checks at the bottom prove
 * Electron's real objects fit.
 * @packageDocumentation
 */
import type { BrowserWindow, WebContents } from 'electron';

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

/**
 * The `webContents` members the adapter relies on. Electron throws "Object has been
 * destroyed" from every native member but `isDestroyed()` once the webContents is gone
 * (also inside its own `destroyed` listeners): read `id` while it is alive.
 */
export type WebContentsLike = Pick<WebContents, 'id' | 'isDestroyed' | 'getURL' | 'sendToFrame'> & EmitterLike;

/** The `BrowserWindow` instance methods the window actor wraps (native: they throw once the window is destroyed). */
export type WindowLike = Pick<
  BrowserWindow,
  | 'id' | 'isDestroyed' | 'getBounds' | 'setBounds' | 'getSize' | 'setSize' | 'getPosition' | 'setPosition'
  | 'getTitle' | 'setTitle' | 'focus' | 'blur' | 'isFocused' | 'show' | 'hide' | 'isVisible'
  | 'maximize' | 'unmaximize' | 'isMaximized' | 'minimize' | 'restore' | 'isMinimized'
  | 'setFullScreen' | 'isFullScreen' | 'close'
> &
  EmitterLike;

/** The `webContents` methods the webContents actor wraps. */
export type WebContentsActorTarget = WebContentsLike &
  Pick<WebContents, 'getTitle' | 'isLoading' | 'reload' | 'getZoomFactor' | 'setZoomFactor' | 'isDevToolsOpened' | 'openDevTools' | 'closeDevTools'>;

type Assert<T extends true> = T;
/** Electron's real objects satisfy the slices above (a compile error here means Electron's typings moved). */
export type ElectronFitsActors = [
  Assert<BrowserWindow extends WindowLike ? true : false>,
  Assert<WebContents extends WebContentsActorTarget ? true : false>,
];
