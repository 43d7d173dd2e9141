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
import type { Bounds, WindowEventMap, WindowEventName, WindowFacade as WindowFacadeContract } from '../src/contracts/electron.js';
import type { ActorSpec } from '../src/actor/spec.js';
import type { WindowLike } from './electron-like.js';
import { ListenerMap } from './listener-map.js';

export type { Bounds, WindowEventMap, WindowEventName } from '../src/contracts/electron.js';

const WINDOW_EVENTS: ReadonlySet<string> = new Set<WindowEventName>([
  'resize', 'move', 'focus', 'blur', 'show', 'hide', 'maximize', 'unmaximize', 'minimize', 'restore',
  'enter-full-screen', 'leave-full-screen', 'close', 'closed',
]);

type Listener = (payload: unknown) => void;

/**
 * A renderer's view of one `BrowserWindow`. Methods mirror `BrowserWindow`'s; events are
 * observed with `on`/`removeListener` (or, better, `windowEvent(win, name)` in the
 * renderer) and deliver the payloads of {@link WindowEventMap}.
 */
export class WindowFacade implements WindowFacadeContract {
  readonly #win: WindowLike;
  readonly #id: number;
  readonly #listeners: ListenerMap;

  /** Wrap `win` (alive: its id is read now, since Electron's native members throw once it is destroyed). */
  constructor(win: WindowLike) {
    this.#win = win;
    this.#id = win.id;
    this.#listeners = new ListenerMap(WINDOW_EVENTS, win, (event) => (event === 'resize' || event === 'move' ? this.#bounds() : undefined), 'window');
  }

  #bounds(): Bounds {
    const b = this.#win.getBounds();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }

  /** The window's id (`BrowserWindow.id`). */
  getId(): number {
    return this.#id;
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
  return { kind: 'window', name: String(facade.getId()), lazy: false, options, factory: () => facade };
}
