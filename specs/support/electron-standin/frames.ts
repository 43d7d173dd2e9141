/**
 * Frames in the stand-in: a frame host (Chromium's RenderFrameHost, what `WebFrameMain` wraps)
 * with its process and routing ids, and the site rule that decides when a navigation keeps the
 * host or swaps it for a new one in another process.
 *
 * - A same-site navigation (a reload, a `loadURL` on the same scheme and host) keeps the frame
 *   host, so its process id and routing id stay the same (Chromium reuses the RenderFrameHost
 *   when the SiteInstance does not change; docs/api/web-frame-main.md: `processId`/`routingId`
 *   identify the host, not the document).
 * - A cross-site navigation commits in a new host in a new process: `did-frame-navigate` then
 *   reports the *new* ids (docs/api/web-contents.md, "Event: 'did-frame-navigate'":
 *   `frameProcessId`, `frameRoutingId` of the navigated frame), and the old host is gone
 *   (`webFrameMain.fromId(old ids)` is null, so `sendToFrame` to it returns false:
 *   lib/browser/api/web-contents.ts, `sendToFrame` returns `false` when `getWebFrame` finds none).
 * - `event.senderFrame` of a message is null once its host is gone (docs/api/structures/
 *   ipc-main-event.md: "May be null if accessed after the frame has either navigated or been
 *   destroyed"); after a same-host navigation it is the same, live frame.
 */

let nextProcessId = 100;
let nextRoutingId = 1;
let nextFrameTreeNodeId = 1;

/** What `WebFrameMain` tells about a frame (the parts the stand-in models). */
export interface FrameInfo {
  readonly url: string;
  readonly origin: string;
  readonly processId: number;
  readonly routingId: number;
  readonly frameTreeNodeId: number;
  readonly isMainFrame: boolean;
}

/** A frame host. `live` turns false when a navigation swapped it out, or it was detached or destroyed. */
export class FrameHost implements FrameInfo {
  live = true;
  constructor(
    readonly frameTreeNodeId: number,
    readonly isMainFrame: boolean,
    public url: string,
    readonly processId: number = nextProcessId++,
    readonly routingId: number = nextRoutingId++,
  ) {}

  /** The frame's origin (`scheme://host`, or `null` for opaque URLs as Chromium reports it). */
  get origin(): string {
    return originOf(this.url);
  }

  /** A new frame tree node (an iframe, or a webContents' main frame). */
  static create(isMainFrame: boolean, url: string, processId?: number): FrameHost {
    return new FrameHost(nextFrameTreeNodeId++, isMainFrame, url, processId);
  }

  /** The host that serves `url` after this one: itself if same-site, else a new one in a new process. */
  navigated(url: string): FrameHost {
    if (this.live && sameSite(this.url, url)) {
      this.url = url;
      return this;
    }
    this.live = false;
    return new FrameHost(this.frameTreeNodeId, this.isMainFrame, url);
  }
}

/** `scheme://host` of a URL. */
export function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : 'null';
  } catch {
    return 'null';
  }
}

/** Same scheme and host (the stand-in's site; Chromium's is scheme + eTLD+1). */
export function sameSite(a: string, b: string): boolean {
  return originOf(a) === originOf(b) && originOf(a) !== 'null';
}

/** URLs the stand-in cannot load (host `unreachable.invalid`): they commit an error page. */
export function failsToLoad(url: string): boolean {
  try {
    return new URL(url).host === 'unreachable.invalid';
  } catch {
    return true;
  }
}
