/**
 * `remora/electron/renderer`: the page side of the Electron adapter.
 *
 * `remote` is the compatibility object (Electron's `remote`, synchronous): a renderer
 * written for `remote` or `@electron/remote` ports by changing its import. `connectElectron`
 * gives the typed async client; `windowEvent` / `webContentsEvent` give window and page
 * events as typed Observables (ended automatically when the page reloads).
 *
 * @example
 * ```ts
 * import { remote, windowEvent } from 'remora/electron/renderer';
 *
 * const fs = remote.require('fs');                  // what main exposed as 'fs'
 * const win = remote.getCurrentWindow();
 * win.setTitle(fs.readFileSync('/etc/hostname', 'utf8'));
 * windowEvent(win, 'resize').subscribe((b) => console.log(b.width, b.height));
 * ```
 * @module remora/electron/renderer
 */
import type { Observable } from 'rxjs';
import type { WebContentsEventMap, WebContentsEventName, WebContentsFacade, WindowEventMap, WindowEventName, WindowFacade } from '../contracts/electron.js';
import { type CompatRemote, connect, createRemote, type RemoraClient } from '../renderer/client.js';
import type { ConnectOptions } from '../renderer/connect-options.js';
import { fromRemoteEvent } from '../renderer/streams.js';
import type { SyncRemote } from '../renderer/types.js';
import type { RemoraBridge } from './channel.js';
import { findBridge, IpcRendererTransport } from './ipc-renderer-transport.js';

export { IpcRendererTransport, findBridge } from './ipc-renderer-transport.js';
export type { RemoraBridge } from './channel.js';
export type { Bounds, WebContentsEventMap, WebContentsEventName, WebContentsFacade, WindowEventMap, WindowEventName, WindowFacade } from '../contracts/electron.js';

/** Electron's `remote`, with the window and webContents handles typed. */
export interface ElectronRemote extends CompatRemote {
  /** The caller's own window. */
  getCurrentWindow<T = WindowFacade>(): SyncRemote<T>;
  /** The caller's own webContents. */
  getCurrentWebContents<T = WebContentsFacade>(): SyncRemote<T>;
}

/** Options of {@link connectElectron}. */
export interface ElectronConnectOptions extends ConnectOptions {
  /** The bridge; default: the one the preload exposed at `window.remora`. */
  bridge?: RemoraBridge;
}

const clients = new WeakMap<RemoraBridge, RemoraClient>();

/**
 * This page's client (one per page: every call returns the same client for the same bridge;
 * options apply on the first call).
 */
export function connectElectron(options: ElectronConnectOptions = {}): RemoraClient {
  const { bridge: given, ...connectOptions } = options;
  const bridge = given ?? findBridge();
  let client = clients.get(bridge);
  if (!client) {
    client = connect(new IpcRendererTransport(bridge), connectOptions);
    clients.set(bridge, client);
  }
  return client;
}

let compat: CompatRemote | undefined;
const compatRemote = (): CompatRemote => (compat ??= createRemote(connectElectron().connection));

/**
 * The compatibility object, connected on first use: `require`, `getGlobal`,
 * `getCurrentWindow`, `getCurrentWebContents` and `process` (fetched once, cached), all
 * synchronous like Electron's `remote`.
 */
export const remote: ElectronRemote = {
  require: (name) => compatRemote().require(name),
  getGlobal: (name) => compatRemote().getGlobal(name),
  getCurrentWindow: () => compatRemote().getCurrentWindow(),
  getCurrentWebContents: () => compatRemote().getCurrentWebContents(),
  get process() {
    return compatRemote().process;
  },
};

/**
 * A window event as a typed Observable. One listener in main is shared by all subscribers;
 * the last unsubscribe removes it, and so does the page's reload or navigation.
 * @example
 * ```ts
 * windowEvent(remote.getCurrentWindow(), 'move').subscribe(({ x, y }) => save(x, y));
 * ```
 */
export function windowEvent<K extends WindowEventName>(win: unknown, event: K): Observable<WindowEventMap[K]> {
  return fromRemoteEvent<WindowEventMap[K]>(win, event);
}

/** A webContents event as a typed Observable (see {@link windowEvent}). */
export function webContentsEvent<K extends WebContentsEventName>(contents: unknown, event: K): Observable<WebContentsEventMap[K]> {
  return fromRemoteEvent<WebContentsEventMap[K]>(contents, event);
}
