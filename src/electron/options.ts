/**
 * The Electron adapter's options and the facts it records per session: what an app configures
 * (`serve`, `reachWindow`, `maxSyncMs`) and what its policies read (`session.info`).
 * @packageDocumentation
 */
import type { ActorOptions } from '../actor/actor.js';
import type { BrokerOptions } from '../main/broker.js';
import type { Session } from '../main/session.js';
import type { BrowserWindowStatics, IpcMainLike, SenderFrameLike, WebContentsLike, WindowLike } from './types.js';

/** What {@link ElectronAdapterOptions.serve} is asked when a page it has not seen sends its first message. */
export interface ServeRequest {
  /** The sending webContents (alive). */
  readonly webContents: WebContentsLike;
  /** The sending frame (`event.senderFrame`), or null if Electron no longer has it. */
  readonly frame: SenderFrameLike | null;
  /** The sending frame's URL (the webContents' URL if the frame is unknown). */
  readonly url: string;
  /** Renderer process id and routing id of the sending frame. */
  readonly processId: number;
  readonly frameId: number;
}

/** What the window policy is asked when a renderer wants a window other than its own. */
export interface WindowAccessRequest {
  /** The asking renderer's session (`session.info.webContentsId` says who it is). */
  readonly session: Session;
  /** The window it asks for. */
  readonly window: WindowLike;
}

/** Options of the Electron adapter. */
export interface ElectronAdapterOptions {
  /** Electron's `ipcMain`. */
  ipcMain: IpcMainLike;
  /** Electron's `BrowserWindow` class (for `getCurrentWindow()` and `current('window:<id>')`). */
  BrowserWindow?: BrowserWindowStatics;
  /**
   * May this renderer reach another window (`client.current('window:<id>')`)? Default: no.
   * A renderer always reaches its own window.
   */
  reachWindow?: (req: WindowAccessRequest) => boolean;
  /**
   * Which pages get a session: asked once per page load, at its first message. Default: every
   * webContents running the preload. Return false for content the app did not mean to serve
   * (a remote page, a `<webview>`, a window opened by a page): its messages are dropped and its
   * sync calls fail with `E_DENIED`.
   */
  serve?: (req: ServeRequest) => boolean;
  /** Longest a synchronous call may block a renderer, in ms (also caps the renderer's `syncTimeout`). Default 30 000. */
  maxSyncMs?: number;
  /** Options of the window and webContents actors. */
  actorOptions?: ActorOptions;
}

/** Options of {@link createElectronBroker}: the broker's and the adapter's. */
export type ElectronBrokerOptions = BrokerOptions & ElectronAdapterOptions;

/** Facts the adapter records in `session.info` (policies read them). */
export interface ElectronSessionInfo {
  readonly webContentsId: number;
  readonly processId: number;
  readonly frameId: number;
  readonly pageId: string;
  /** 1 for the first page load the adapter saw in this webContents, then 2, 3, ... */
  readonly generation: number;
  /** The sending frame's URL when the page connected. */
  readonly url: string;
  /** The sending frame's origin when the page connected. */
  readonly origin: string;
  /**
   * The frame that sent the session's latest message, read live (Electron's `senderFrame`:
   * its `url` follows in-page navigations), or null once that frame navigated away or was
   * destroyed. Check it in a policy that depends on who sends.
   */
  readonly senderFrame: () => { readonly url: string; readonly origin: string } | null;
}

