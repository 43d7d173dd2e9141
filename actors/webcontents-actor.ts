/**
 * The webContents actor: what `remote.getCurrentWebContents()` reaches. Its instance is a
 * {@link WebContentsFacade}, a curated view of one `webContents`: URL, title, loading state,
 * zoom, devtools, reload, and page events with plain payloads. The renderer never gets the
 * `webContents` itself (no `executeJavaScript`, no `session`, no `send` to other channels).
 *
 * @example
 * ```ts
 * const contents = remote.getCurrentWebContents();
 * webContentsEvent(contents, 'page-title-updated').subscribe((title) => console.log(title));
 * ```
 * @packageDocumentation
 */
import type { ActorOptions } from '../src/actor/actor.js';
import type { WebContentsEventName, WebContentsEventMap, WebContentsFacade as WebContentsFacadeContract } from '../src/contracts/electron.js';
import type { ActorSpec } from '../src/actor/spec.js';
import type { WebContentsActorTarget } from './electron-like.js';
import { ListenerMap, SKIP } from './listener-map.js';

export type { WebContentsEventMap, WebContentsEventName } from '../src/contracts/electron.js';

const EVENTS: ReadonlySet<string> = new Set<WebContentsEventName>([
  'did-finish-load', 'dom-ready', 'did-navigate-in-page', 'page-title-updated', 'devtools-opened', 'devtools-closed', 'zoom-changed',
]);

/** Electron passes `(event, ...)`; the renderer gets the one useful argument, never the event. */
function payload(event: string, args: unknown[]): unknown {
  switch (event) {
    case 'did-navigate-in-page':
      // `(event, url, isMainFrame, frameProcessId, frameRoutingId)`: Electron emits it for subframes too.
      if (args[2] === false) return SKIP;
      return typeof args[1] === 'string' ? args[1] : undefined;
    case 'page-title-updated':
    case 'zoom-changed':
      return typeof args[1] === 'string' ? args[1] : undefined;
    default:
      return undefined;
  }
}

/** A renderer's view of one `webContents`. */
export class WebContentsFacade implements WebContentsFacadeContract {
  readonly #wc: WebContentsActorTarget;
  readonly #id: number;
  readonly #listeners: ListenerMap;

  /** Wrap `wc` (alive: its id is read now, since Electron's native members throw once it is destroyed). */
  constructor(wc: WebContentsActorTarget) {
    this.#wc = wc;
    this.#id = wc.id;
    this.#listeners = new ListenerMap(EVENTS, wc, payload, 'webContents');
  }

  /** `webContents.id`. */
  getId(): number {
    return this.#id;
  }
  /** The current URL. */
  getURL(): string {
    return this.#wc.getURL();
  }
  /** The page title. */
  getTitle(): string {
    return this.#wc.getTitle();
  }
  /** Whether the page is loading. */
  isLoading(): boolean {
    return this.#wc.isLoading();
  }
  /** Reload the page (this ends the calling page's session, as any reload does). */
  reload(): void {
    this.#wc.reload();
  }
  /** The zoom factor. */
  getZoomFactor(): number {
    return this.#wc.getZoomFactor();
  }
  /** Set the zoom factor. */
  setZoomFactor(factor: number): void {
    this.#wc.setZoomFactor(Number(factor));
  }
  /** Whether devtools are open. */
  isDevToolsOpened(): boolean {
    return this.#wc.isDevToolsOpened();
  }
  /** Open devtools. */
  openDevTools(): void {
    this.#wc.openDevTools();
  }
  /** Close devtools. */
  closeDevTools(): void {
    this.#wc.closeDevTools();
  }
  /** Whether the webContents was destroyed. */
  isDestroyed(): boolean {
    return this.#wc.isDestroyed();
  }

  /** Listen to a page event. */
  on<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void {
    this.#listeners.add(event, listener as (p: unknown) => void);
  }
  /** Same as {@link on}. */
  addListener<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void {
    this.#listeners.add(event, listener as (p: unknown) => void);
  }
  /** Stop listening. */
  removeListener<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void {
    this.#listeners.remove(event, listener as (p: unknown) => void);
  }
  /** Same as {@link removeListener}. */
  off<K extends WebContentsEventName>(event: K, listener: (payload: WebContentsEventMap[K]) => void): void {
    this.#listeners.remove(event, listener as (p: unknown) => void);
  }
}

/** Describe the actor of one webContents. */
export function webContentsActor(wc: WebContentsActorTarget, options: ActorOptions = {}): ActorSpec {
  const facade = new WebContentsFacade(wc);
  return { kind: 'webContents', name: String(facade.getId()), lazy: false, options, factory: () => facade };
}
