/**
 * The stand-in's private wire between main (this thread) and a page (a worker thread). Not
 * remora's protocol: this models Electron's own IPC pipe, which remora rides on.
 */

/** What main hands a page's worker at start (in `workerData.__standin`). */
export interface PageBoot {
  /** Both directions of `send` / `webContents.send`, and the page's `sendSync` requests. */
  readonly port: import('node:worker_threads').MessagePort;
  /** Replies to `sendSync` (read with `receiveMessageOnPort` while blocked). */
  readonly syncPort: import('node:worker_threads').MessagePort;
  /** Slot 0 is bumped with every sync reply (the page blocks on it with `Atomics.wait`). */
  readonly flag: SharedArrayBuffer;
  /** Renderer process id and routing id of the page's main frame. */
  readonly processId: number;
  readonly routingId: number;
}

/** Page to main. */
export type PageToMain =
  | { readonly k: 'send'; readonly channel: string; readonly args: unknown[] }
  | { readonly k: 'sync'; readonly channel: string; readonly args: unknown[]; readonly seq: number }
  | { readonly k: 'loaded' };

/** Main to page. */
export interface MainToPage {
  readonly k: 'msg';
  readonly channel: string;
  readonly args: unknown[];
}

/** A reply to a `sendSync`, on the sync port. */
export interface SyncReply {
  readonly seq: number;
  readonly value: unknown;
}
