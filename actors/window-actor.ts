/**
 * The window actor: what `remote.getCurrentWindow()` reaches. Its instance is a
 * {@link WindowFacade}, a curated view of one `BrowserWindow`: geometry, title, focus and
 * state methods, and window events with plain payloads. The renderer never gets the
 * `BrowserWindow` itself (no `webContents`, no `loadURL`, no `executeJavaScript`), and event
 * listeners never receive Electron's event object.
 *
 * @example
 * ```ts
 * // renderer (compat mode)
 * const win = remote.getCurrentWindow();
 * win.setTitle('Hello');
 * windowEvent(win, 'resize').subscribe(({ width, height }) => layout(width, height));
 * ```
 * @packageDocumentation
 */
import type { ActorOptions } from '../src/actor/actor.js';
import { RemoraError } from '../src/errors.js';
import type { WindowLike } from '../src/electron/types.js';
import type { ActorSpec } from '../src/actor/spec.js';

/** A window's bounds, as plain data. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Window events a renderer may observe, and the payload each delivers. */
export interface WindowEventMap {
  resize: Bounds;
  move: Bounds;
  focus: undefined;
  blur: undefined;
  show: undefined;
  hide: undefined;
  maximize: undefined;
  unmaximize: undefined;
  minimize: undefined;
  restore: undefined;
  'enter-full-screen': undefined;
  'leave-full-screen': undefined;
  /** The window is about to close (main decides; the renderer cannot prevent it). */
  close: undefined;
  closed: undefined;
}

/** Names of {@link WindowEventMap}. */
export type WindowEventName = keyof WindowEventMap;

const WINDOW_EVENTS: ReadonlySet<string> = new Set<WindowEventName>([
  'resize', 'move', 'focus', 'blur', 'show', 'hide', 'maximize', 'unmaximize', 'minimize', 'restore',
  'enter-full-screen', 'leave-full-screen', 'close', 'closed',
]);

type Listener = (payload: unknown) => void;
type Raw = (...args: unknown[]) => void;

/**
 * Listener bookkeeping shared by the window and webContents facades: maps each renderer
 * listener to the wrapper registered on the Electron object, so removal (by the renderer, or
 * by the session when the page goes away) removes exactly what was added.
 * @internal
 */
export class ListenerMap {
  private readonly wrappers = new Map<string, Map<Listener, Raw>>();

  constructor(
    private readonly allowed: ReadonlySet<string>,
    private readonly target: { on(e: string, l: Raw): unknown; removeListener(e: string, l: Raw): unknown },
    private readonly payload: (event: string, args: unknown[]) => unknown,
    private readonly what: string,
  ) {}

  add(event: string, listener: Listener): void {
    if (!this.allowed.has(event)) throw new RemoraError('E_DENIED', `Denied: "${event}" is not an observable ${this.what} event (allowed: ${[...this.allowed].join(', ')}).`);
    if (typeof listener !== 'function') throw new RemoraError('E_BAD_VALUE', 'The listener must be a function.');
    let byListener = this.wrappers.get(event);
    if (!byListener) this.wrappers.set(event, (byListener = new Map()));
    if (byListener.has(listener)) return;
    const raw: Raw = (...args) => listener(this.payload(event, args));
    byListener.set(listener, raw);
    this.target.on(event, raw);
  }

  remove(event: string, listener: Listener): void {
    const byListener = this.wrappers.get(event);
    const raw = byListener?.get(listener);
    if (!raw) return;
    byListener!.delete(listener);
    if (byListener!.size === 0) this.wrappers.delete(event);
    this.target.removeListener(event, raw);
  }

  /** Listeners currently registered through this facade. */
  get size(): number {
    let n = 0;
    for (const m of this.wrappers.values()) n += m.size;
    return n;
  }
}

/**
 * A renderer's view of one `BrowserWindow`. Methods mirror `BrowserWindow`'s; events are
 * observed with `on`/`removeListener` (or, better, `windowEvent(win, name)` in the
 * renderer) and deliver the payloads of {@link WindowEventMap}.
 */
export class WindowFacade {
  readonly #win: WindowLike;
  readonly #listeners: ListenerMap;

  /** Wrap `win`. */
  constructor(win: WindowLike) {
    this.#win = win;
    const emitter = win as unknown as { on(e: string, l: Raw): unknown; removeListener(e: string, l: Raw): unknown };
    this.#listeners = new ListenerMap(WINDOW_EVENTS, emitter, (event) => (event === 'resize' || event === 'move' ? this.#bounds() : undefined), 'window');
  }

  #bounds(): Bounds {
    const b = this.#win.getBounds();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }

  /** The window's id (`BrowserWindow.id`). */
  getId(): number {
    return this.#win.id;
  }
  /** Bounds as plain data. */
  getBounds(): Bounds {
    return this.#bounds();
  }
  /** Move and resize. */
  setBounds(bounds: Partial<Bounds>): void {
    this.#win.setBounds(bounds);
  }
  /** `[width, height]`. */
  getSize(): number[] {
    return this.#win.getSize();
  }
  /** Resize. */
  setSize(width: number, height: number): void {
    this.#win.setSize(width, height);
  }
  /** `[x, y]`. */
  getPosition(): number[] {
    return this.#win.getPosition();
  }
  /** Move. */
  setPosition(x: number, y: number): void {
    this.#win.setPosition(x, y);
  }
  /** The title. */
  getTitle(): string {
    return this.#win.getTitle();
  }
  /** Set the title. */
  setTitle(title: string): void {
    this.#win.setTitle(String(title));
  }
  /** Focus the window. */
  focus(): void {
    this.#win.focus();
  }
  /** Remove focus. */
  blur(): void {
    this.#win.blur();
  }
  /** Whether the window has focus. */
  isFocused(): boolean {
    return this.#win.isFocused();
  }
  /** Show the window. */
  show(): void {
    this.#win.show();
  }
  /** Hide the window. */
  hide(): void {
    this.#win.hide();
  }
  /** Whether the window is visible. */
  isVisible(): boolean {
    return this.#win.isVisible();
  }
  /** Maximize. */
  maximize(): void {
    this.#win.maximize();
  }
  /** Leave the maximized state. */
  unmaximize(): void {
    this.#win.unmaximize();
  }
  /** Whether maximized. */
  isMaximized(): boolean {
    return this.#win.isMaximized();
  }
  /** Minimize. */
  minimize(): void {
    this.#win.minimize();
  }
  /** Restore from minimized. */
  restore(): void {
    this.#win.restore();
  }
  /** Whether minimized. */
  isMinimized(): boolean {
    return this.#win.isMinimized();
  }
  /** Enter or leave full screen. */
  setFullScreen(flag: boolean): void {
    this.#win.setFullScreen(Boolean(flag));
  }
  /** Whether full screen. */
  isFullScreen(): boolean {
    return this.#win.isFullScreen();
  }
  /** Ask the window to close (main's `close` handlers may still prevent it). */
  close(): void {
    this.#win.close();
  }
  /** Whether the window was destroyed. */
  isDestroyed(): boolean {
    return this.#win.isDestroyed();
  }

  /** Listen to a window event. Returns nothing (no chaining: each call is a round trip). */
  on<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void {
    this.#listeners.add(event, listener as Listener);
  }
  /** Same as {@link on}. */
  addListener<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void {
    this.#listeners.add(event, listener as Listener);
  }
  /** Stop listening. */
  removeListener<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void {
    this.#listeners.remove(event, listener as Listener);
  }
  /** Same as {@link removeListener}. */
  off<K extends WindowEventName>(event: K, listener: (payload: WindowEventMap[K]) => void): void {
    this.#listeners.remove(event, listener as Listener);
  }
}

/** Describe the actor of one window; main spawns it when a renderer first asks for the window. */
export function windowActor(win: WindowLike, options: ActorOptions = {}): ActorSpec {
  const facade = new WindowFacade(win);
  return { kind: 'window', name: String(win.id), lazy: false, options, factory: () => facade };
}
