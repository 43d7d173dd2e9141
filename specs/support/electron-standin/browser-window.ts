/**
 * The stand-in `BrowserWindow`: geometry, title, focus and state with their events, and one
 * webContents. `close()` emits `close` (preventable; docs/api/browser-window.md: "emitted
 * before the beforeunload and unload event of the DOM"), then waits for the page to run its
 * unload (not while it is blocked in `sendSync`), then `closed` and the webContents'
 * `destroyed`. `destroy()` does not wait. After destroy, native members throw (destroyable.ts).
 */
import { EventEmitter } from 'node:events';
import type { WindowLike } from '../../../src/electron/types.js';
import { destroyable } from './destroyable.js';
import { StandinWebContents, type StandinPageOptions } from './web-contents.js';

let nextWindowId = 1;

/** Members that are native in Electron (they throw after destroy). */
const NATIVE: ReadonlySet<PropertyKey> = new Set([
  'id', 'webContents', 'getBounds', 'setBounds', 'getSize', 'setSize', 'getPosition', 'setPosition', 'getTitle', 'setTitle',
  'focus', 'blur', 'isFocused', 'show', 'hide', 'isVisible', 'maximize', 'unmaximize', 'isMaximized', 'minimize', 'restore',
  'isMinimized', 'setFullScreen', 'isFullScreen', 'close',
]);

/** Options of a stand-in window. */
export interface StandinWindowOptions extends StandinPageOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  title?: string;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Electron's `BrowserWindow`, with one webContents. */
export class StandinBrowserWindow extends EventEmitter implements WindowLike {
  private static readonly all = new Map<number, StandinBrowserWindow>();

  static fromWebContents(wc: { id: number }): StandinBrowserWindow | null {
    for (const w of StandinBrowserWindow.all.values()) if (w.webContents === wc) return w;
    return null;
  }
  static fromId(id: number): StandinBrowserWindow | null {
    return StandinBrowserWindow.all.get(id) ?? null;
  }
  static getAllWindows(): StandinBrowserWindow[] {
    return [...StandinBrowserWindow.all.values()];
  }

  readonly id = nextWindowId++;
  readonly webContents: StandinWebContents;
  private bounds: Rect;
  private title: string;
  private focused = false;
  private visible = true;
  private maximized = false;
  private minimized = false;
  private fullScreen = false;
  private destroyed = false;
  private closing = false;

  constructor(ipcMain: EventEmitter, options: StandinWindowOptions) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.title = options.title ?? 'remora';
    this.webContents = new StandinWebContents(ipcMain, options);
    const self = destroyable(this, NATIVE, () => this.destroyed);
    StandinBrowserWindow.all.set(this.id, self);
    return self;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Rect>): void {
    const old = this.bounds;
    this.bounds = { ...old, ...b };
    if (this.bounds.width !== old.width || this.bounds.height !== old.height) this.emit('resize', { preventDefault() {} });
    if (this.bounds.x !== old.x || this.bounds.y !== old.y) this.emit('move', { preventDefault() {} });
  }
  getSize(): number[] {
    return [this.bounds.width, this.bounds.height];
  }
  setSize(width: number, height: number): void {
    this.setBounds({ width, height });
  }
  getPosition(): number[] {
    return [this.bounds.x, this.bounds.y];
  }
  setPosition(x: number, y: number): void {
    this.setBounds({ x, y });
  }
  getTitle(): string {
    return this.title;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  focus(): void {
    this.flip('focused', true, 'focus');
  }
  blur(): void {
    this.flip('focused', false, 'blur');
  }
  isFocused(): boolean {
    return this.focused;
  }
  show(): void {
    this.flip('visible', true, 'show');
  }
  hide(): void {
    this.flip('visible', false, 'hide');
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    this.flip('maximized', true, 'maximize');
  }
  unmaximize(): void {
    this.flip('maximized', false, 'unmaximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  minimize(): void {
    this.flip('minimized', true, 'minimize');
  }
  restore(): void {
    this.flip('minimized', false, 'restore');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  setFullScreen(flag: boolean): void {
    this.flip('fullScreen', flag, flag ? 'enter-full-screen' : 'leave-full-screen');
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }

  private flip(key: 'focused' | 'visible' | 'maximized' | 'minimized' | 'fullScreen', to: boolean, event: string): void {
    if (this[key] === to) return;
    this[key] = to;
    this.emit(event, { preventDefault() {} });
  }

  /**
   * Close: `close` (a listener may `event.preventDefault()`), then, once the page can run its
   * unload (not blocked in a sync call), `closed` and the webContents' `destroyed`.
   */
  close(): void {
    if (this.destroyed || this.closing) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    const wc = this.webContents;
    if (!wc.hasBlockedPage()) {
      this.destroy();
      return;
    }
    this.closing = true;
    void wc.whenUnblocked().then(() => {
      this.closing = false;
      this.destroy();
    });
  }

  /** Close without `close` handlers. */
  destroy(): void {
    if (this.destroyed) return;
    const { id, webContents } = this;
    // Electron: the native window is gone before `closed` is emitted.
    this.destroyed = true;
    StandinBrowserWindow.all.delete(id);
    this.emit('closed');
    webContents.destroy();
  }
}

