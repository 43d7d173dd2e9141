/**
 * Which of a webContents' pages an Electron lifecycle event ends, and which sync calls it
 * must interrupt. Read against Electron's source (v41, checked back to v30):
 *
 * - `did-navigate`: the main frame committed a new document; every page of the webContents
 *   (main frame and iframes) is gone.
 * - `did-frame-navigate` (subframe): it carries the ids of the frame host that *committed*. A
 *   same-site navigation reuses the host (same ids: the old page matches them); a cross-site
 *   one commits in a new host with new ids, and the old page's `senderFrame` turns null
 *   (docs/api/structures/ipc-main-event.md). Both are ended.
 * - `did-fail-load` (not `-3`, ERR_ABORTED: that one leaves the old document in place): an
 *   error page committed; it emits no `did-navigate` (electron_api_web_contents.cc,
 *   `DidFinishNavigation`). A main-frame failure ends every page; a subframe's, that frame's.
 * - `render-process-gone`: the main frame's renderer died (it is emitted for that process only).
 * - `destroyed`: the webContents is gone. Its native members throw from here on (even `id`),
 *   so the id is read when watching starts.
 * - `did-start-navigation` (cross-document), the window's `close`, and `unresponsive`: the page
 *   must run unload, which it cannot while blocked in `sendSync`; its waiting sync calls are
 *   answered `aborted` (after the current macrotask, so a reply already on its way wins).
 * @packageDocumentation
 */
import type { CloseReason } from '../transport.js';
import type { IpcMainTransport } from './ipc-main-transport.js';
import type { EmitterLike, WebContentsLike } from './types.js';

/** What the lifecycle asks of the adapter for one webContents. */
export interface LifecycleHost {
  /** Live transports of the webContents' pages. */
  pages(): Iterable<IpcMainTransport>;
  /** End the sessions of these pages. */
  end(which: (t: IpcMainTransport) => boolean, reason: CloseReason): void;
  /** The webContents was destroyed (its pages already ended). */
  destroyed(): void;
}

/** Electron's error code for an aborted navigation (the old document stays). */
const ERR_ABORTED = -3;

function listen(target: EmitterLike, event: string, fn: (...a: any[]) => void): () => void { // eslint-disable-line @typescript-eslint/no-explicit-any
  target.on(event, fn);
  return () => target.removeListener(event, fn);
}

const all = (): boolean => true;
const inFrame = (processId: number, frameId: number) => (t: IpcMainTransport): boolean =>
  (t.page.processId === processId && t.page.frameId === frameId) || t.senderFrame() === null;

/**
 * Watch one webContents (and its window, for `close`). Returns the function that stops
 * watching.
 */
export function watchLifecycle(wc: WebContentsLike, win: EmitterLike | null, host: LifecycleHost): () => void {
  const abort = (which: (t: IpcMainTransport) => boolean, detail: string): void => {
    setImmediate(() => {
      for (const t of host.pages()) if (which(t)) t.abortSync(detail);
    });
  };
  const offs = [
    listen(wc, 'did-start-navigation', (details: { isSameDocument?: boolean } | undefined, url: string, isInPlace: boolean, isMainFrame: boolean, processId: number, frameId: number) => {
      if (isInPlace || details?.isSameDocument) return;
      abort(isMainFrame ? all : inFrame(processId, frameId), `navigating to ${url}`);
    }),
    listen(wc, 'unresponsive', () => abort(all, 'the page is unresponsive')),
    listen(wc, 'did-navigate', (_e: unknown, url: string) => host.end(all, { kind: 'navigate', detail: url })),
    listen(wc, 'did-frame-navigate', (_e: unknown, url: string, _code: number, _status: string, isMainFrame: boolean, processId: number, frameId: number) => {
      if (!isMainFrame) host.end(inFrame(processId, frameId), { kind: 'navigate', detail: url });
    }),
    listen(wc, 'did-fail-load', (_e: unknown, code: number, description: string, url: string, isMainFrame: boolean, processId: number, frameId: number) => {
      if (code === ERR_ABORTED) return;
      host.end(isMainFrame ? all : inFrame(processId, frameId), { kind: 'navigate', detail: `error page (${description}) for ${url}` });
    }),
    listen(wc, 'render-process-gone', (_e: unknown, details: { reason?: string } | undefined) => host.end(all, { kind: 'crashed', detail: details?.reason })),
    listen(wc, 'destroyed', () => {
      host.end(all, { kind: 'destroyed' });
      host.destroyed();
    }),
  ];
  if (win) offs.push(listen(win, 'close', () => abort(all, 'the window is closing')));
  return () => {
    for (const off of offs.splice(0)) off();
  };
}
