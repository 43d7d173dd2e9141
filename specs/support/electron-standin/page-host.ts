/**
 * One loaded document in the stand-in: a worker thread (the page: preload + page script) in a
 * frame host, with the stand-in's IPC pipe to main. It owns the rules of Electron's IPC that
 * remora depends on:
 *
 * - Listeners get `(event, ...args)`, arguments structured-cloned (docs/api/ipc-main.md).
 * - `sendSync` truly blocks the page (Atomics) until main sets `event.returnValue`, which may
 *   happen after any number of awaits (docs/api/ipc-renderer.md, `sendSync`: "blocks the whole
 *   renderer process until the reply is received").
 * - A sync message nobody listens to is not answered at once: its event is dropped, and when it
 *   is collected its reply channel answers `{ error: 'reply was never sent' }`
 *   (shell/common/gin_helper/reply_channel: the destructor of an unused ReplyChannel sends that
 *   error). The stand-in models the collection as a delay (`NEVER_SENT_MS`).
 * - Setting `returnValue` to a value that cannot be cloned throws "An object could not be
 *   cloned." and uses the reply up: the page stays blocked (electron issue 23 item 5, read
 *   against lib/browser/api/web-contents.ts and the reply channel's `SendReply`).
 * - `event.senderFrame` is the sending frame while its host is live, else null.
 * - While the page is blocked in a sync call it cannot run unload or commit a navigation, so
 *   navigation and close wait for it ({@link PageHost.whenUnblocked}); see web-contents.ts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { IpcMainEvent } from 'electron';
import type { IpcMainEventLike, SenderFrameLike, WebContentsLike } from '../../../src/electron/types.js';
import type { FrameHost } from './frames.js';
import type { MainToPage, PageBoot, PageToMain, SyncReply } from './wire.js';

const fixtures = fileURLToPath(new URL('../../../node_modules/.remora-fixtures', import.meta.url));

/** How long a dropped sync event takes to be "collected" and answered with `reply was never sent`. */
export const NEVER_SENT_MS = 50;

/** Fields of an `IpcMainEvent` the stand-in models (the rest of Electron's event is not modelled). */
type ModelledEvent = Pick<IpcMainEvent, 'frameId' | 'processId' | 'type' | 'returnValue' | 'ports' | 'defaultPrevented' | 'preventDefault'>;

/** The emitter main listens on (`ipcMain`). */
interface Bus {
  emit(channel: string, ...args: unknown[]): boolean;
}

/** One loaded page: a worker thread with the stand-in's IPC pipe. */
export class PageHost {
  readonly worker: Worker;
  readonly port: MessagePort;
  private readonly syncPort: MessagePort;
  private readonly flag: Int32Array;
  /** Set when the page is unloaded on purpose (navigation, crash, destroy). */
  gone = false;
  /** Resolves when the page reported it finished loading. */
  readonly loaded: Promise<void>;
  /** Resolves when the worker has exited. */
  readonly exited: Promise<number>;
  /** An uncaught error that killed the page, if any. */
  error: Error | undefined;
  /** Sync calls the page is blocked in (0 or 1: the thread is blocked). */
  private blocked = 0;
  private unblockedWaiters: Array<() => void> = [];

  constructor(
    private readonly wc: WebContentsLike,
    private readonly ipcMain: Bus,
    /** The frame host the page lives in. */
    readonly frame: FrameHost,
    script: string,
    data: unknown,
    onDied: (code: number) => void,
  ) {
    const a = new MessageChannel();
    const s = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    this.flag = new Int32Array(flag);
    this.port = a.port1;
    this.syncPort = s.port1;
    const boot: PageBoot = { port: a.port2, syncPort: s.port2, flag, processId: frame.processId, routingId: frame.routingId };
    this.worker = new Worker(join(fixtures, `${script}.renderer.mjs`), { workerData: { __standin: boot, data }, transferList: [a.port2, s.port2] });
    let markLoaded!: () => void;
    this.loaded = new Promise((r) => (markLoaded = r));
    this.worker.on('error', (e) => (this.error = e));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        resolve(code);
        this.unblock();
        if (!this.gone) {
          this.gone = true;
          onDied(code);
        }
      });
    });
    this.port.on('message', (m: PageToMain) => {
      if (this.gone) return;
      if (m.k === 'loaded') markLoaded();
      else if (m.k === 'send') this.ipcMain.emit(m.channel, this.event(undefined), ...m.args);
      else this.dispatchSync(m.channel, m.args, m.seq);
    });
  }

  /** Whether the page is blocked in a sync call right now. */
  get isBlocked(): boolean {
    return this.blocked > 0;
  }

  /** Resolves when the page is not blocked in a sync call (at once if it is not). */
  whenUnblocked(): Promise<void> {
    if (!this.isBlocked) return Promise.resolve();
    return new Promise((r) => this.unblockedWaiters.push(r));
  }

  private unblock(): void {
    this.blocked = 0;
    for (const w of this.unblockedWaiters.splice(0)) w();
  }

  private dispatchSync(channel: string, args: unknown[], seq: number): void {
    this.blocked++;
    const event = this.event(seq);
    if (!this.ipcMain.emit(channel, event, ...args)) {
      // Electron warns "called ipcRenderer.sendSync() with '<channel>' channel without listeners";
      // the dropped event's reply channel answers when it is collected.
      setTimeout(() => event.reply$({ error: 'reply was never sent' }), NEVER_SENT_MS).unref?.();
    }
  }

  /** An `IpcMainEvent` for one message; for a sync message, setting `returnValue` replies (once). */
  private event(seq: number | undefined): IpcMainEventLike & ModelledEvent & { reply$(v: unknown): void } {
    const page = this;
    let used = false;
    let value: unknown;
    const deliver = (v: unknown): void => {
      if (seq === undefined || used) return;
      used = true;
      if (page.gone) return;
      const reply: SyncReply = { seq, value: v };
      page.syncPort.postMessage(reply);
      page.blocked = Math.max(0, page.blocked - 1);
      Atomics.add(page.flag, 0, 1);
      Atomics.notify(page.flag, 0);
      if (page.blocked === 0) page.unblock();
    };
    const ev = {
      type: 'frame' as const,
      sender: this.wc,
      frameId: this.frame.routingId,
      processId: this.frame.processId,
      ports: [],
      defaultPrevented: false,
      preventDefault() {
        ev.defaultPrevented = true;
      },
      reply: (channel: string, ...args: unknown[]) => this.wc.sendToFrame([this.frame.processId, this.frame.routingId], channel, ...args),
      get senderFrame(): SenderFrameLike | null {
        return page.frame.live ? page.frame : null;
      },
      get returnValue(): unknown {
        return value;
      },
      set returnValue(v: unknown) {
        value = v;
        if (seq === undefined || used) return;
        try {
          structuredClone(v);
        } catch {
          used = true; // the reply channel is spent: the page stays blocked
          throw new Error('An object could not be cloned.');
        }
        deliver(v);
      },
      reply$: deliver,
    };
    return ev;
  }

  /** Deliver a message from main. */
  post(channel: string, args: unknown[]): void {
    if (this.gone) return;
    const m: MainToPage = { k: 'msg', channel, args: structuredClone(args) };
    this.port.postMessage(m);
  }

  /** Unload the page (navigation, crash, destroy): its worker is terminated. */
  async unload(): Promise<void> {
    this.gone = true;
    this.port.close();
    this.syncPort.close();
    await this.worker.terminate();
  }
}
