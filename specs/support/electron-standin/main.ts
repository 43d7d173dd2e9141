/**
 * A stand-in for Electron's main-process IPC objects (`ipcMain`, `webContents`,
 * `BrowserWindow`), as strict as Electron where remora depends on it, with each page in a real
 * worker thread. Every rule below names the Electron doc or source it is based on (read with
 * the search tool at electron/electron, v41 checked back to v30):
 *
 * 1. Native members of a destroyed webContents or window throw "Object has been destroyed",
 *    `isDestroyed()` does not; the native object is cleared before `destroyed` is emitted
 *    (gin_helper trackable/destroyable wrappers; electron_api_web_contents.cc
 *    `WebContentsDestroyed`; electron#50249). → destroyable.ts
 * 2. `sendSync` blocks the page until `returnValue` is set, however late (docs/api/
 *    ipc-renderer.md); with no listener the dropped event's reply channel answers
 *    `{ error: 'reply was never sent' }` when collected (gin_helper ReplyChannel destructor);
 *    a non-cloneable `returnValue` throws "An object could not be cloned." and spends the reply.
 *    → page-host.ts
 * 3. Navigation and close wait while the page is blocked in a sync call (the renderer must run
 *    unload/commit), up to main's answer, i.e. the call's deadline; `unresponsive` fires after
 *    a while (docs/api/web-contents.md "Event: 'unresponsive'"). → web-contents.ts,
 *    browser-window.ts
 * 4. A failed navigation commits an error page and emits only `did-fail-load`
 *    (electron_api_web_contents.cc `DidFinishNavigation`: `did-navigate`/`did-frame-navigate`
 *    only when `!IsErrorPage()`). → web-contents.ts
 * 5. Frames: iframes have their own ids; a cross-site navigation commits in a new process and
 *    `did-frame-navigate` reports the new ids; a same-site reload keeps its process id;
 *    `senderFrame` is null once its host is gone (docs/api/web-contents.md, docs/api/
 *    structures/ipc-main-event.md, docs/api/web-frame-main.md); `sendToFrame` returns false
 *    for a gone frame (lib/browser/api/web-contents.ts); `render-process-gone` is for the main
 *    frame's process only. → frames.ts, web-contents.ts
 * 6. contextBridge copies as Electron does (docs/api/context-bridge.md, "Parameter / Error /
 *    Return Type support"; shell/renderer/api/electron_api_context_bridge.cc): objects and
 *    arrays deep-copied without prototypes, cycles kept, strings and numbers passed as they
 *    are, cloneable types (Map, Set, Date, typed arrays) structured-cloned, an Error becomes a
 *    bare `Error(message)`, a Proxy throws, symbols dropped, functions and promises proxied,
 *    the exposed API frozen. → context-bridge.ts
 *
 * The classes implement slices of Electron's own types (and the adapter's), so a drift in
 * Electron's typings or in what the adapter needs is a compile error here.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindow } from 'electron';
import type { BrowserWindowStatics, IpcMainLike, WebContentsActorTarget } from '../../../src/electron/types.js';
import { StandinBrowserWindow } from './browser-window.js';
import type { StandinWebContents } from './web-contents.js';

export { StandinBrowserWindow, type StandinWindowOptions } from './browser-window.js';
export { HANG_MS, StandinWebContents, type StandinPageOptions } from './web-contents.js';
export { NEVER_SENT_MS } from './page-host.js';
export { DESTROYED } from './destroyable.js';

/** Electron's `ipcMain`: an EventEmitter of channels. */
export class StandinIpcMain extends EventEmitter implements IpcMainLike {}

// ------------------------------------------------------------------ drift checks
// The stand-ins fit the adapter's slices of Electron (and those slices fit Electron, see src/electron/types.ts).
export const standinFitsAdapter = {
  ipcMain: new StandinIpcMain() satisfies IpcMainLike,
  BrowserWindow: StandinBrowserWindow satisfies BrowserWindowStatics,
};
type Fits<A, B> = [A] extends [B] ? true : false;
type Assert<T extends true> = T;
/** And they fit Electron's own signatures for what they model. */
export type StandinFitsElectron = [
  Assert<Fits<StandinWebContents, WebContentsActorTarget>>,
  Assert<Fits<ReturnType<StandinBrowserWindow['getBounds']>, ReturnType<BrowserWindow['getBounds']>>>,
  Assert<Fits<Parameters<StandinBrowserWindow['setBounds']>[0], Parameters<BrowserWindow['setBounds']>[0]>>,
];
