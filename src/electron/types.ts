/**
 * The slices of Electron's main-process API the adapter uses (the actors' slices live in
 * actors/electron-like.ts), derived from Electron's own typings (`import type` only: nothing here loads
 * Electron). Compile-time checks at the bottom prove Electron's real objects fit these
 * slices, so a drift in Electron's typings is a compile error here.
 * @packageDocumentation
 */
import type { BrowserWindow, IpcMain, IpcMainEvent, WebContents } from 'electron';
import type { WebContentsActorTarget, WebContentsLike, WindowLike } from '../../actors/electron-like.js';

export type { EmitterLike, WebContentsActorTarget, WebContentsLike, WindowLike } from '../../actors/electron-like.js';

/**
 * The sending frame of one IPC message (Electron's `event.senderFrame`, a `WebFrameMain`):
 * what a policy checks per message. `url`/`origin` are read live from the frame.
 */
export interface SenderFrameLike {
  readonly url: string;
  readonly origin: string;
  readonly processId: number;
  readonly routingId: number;
}

/** What the adapter reads from an `IpcMainEvent`. */
export interface IpcMainEventLike {
  /** The webContents that sent the message. */
  readonly sender: WebContentsLike;
  /** Routing id of the sending frame. */
  readonly frameId: number;
  /** Renderer process id of the sending frame. */
  readonly processId: number;
  /** The sending frame; `null` once it navigated away or was destroyed (Electron's `senderFrame`). */
  readonly senderFrame?: SenderFrameLike | null;
  /** The reply to a `sendSync` (setting it unblocks the renderer; it throws for a value that cannot be cloned). */
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

/** The `BrowserWindow` statics the adapter uses to find a sender's window (and others, if policy allows). */
export interface BrowserWindowStatics {
  /** The window owning `webContents`, or null. */
  fromWebContents(webContents: WebContentsLike): WindowLike | null;
  /** The window with this id, or null/undefined. */
  fromId(id: number): WindowLike | null | undefined;
}

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
