/**
 * What both ends of the WebSocket transport agree on: the sub-protocol names, how the token
 * travels, the sync endpoint's path and headers, and the first message main sends. Main's side
 * (`websocket.ts`) and the page's side (`websocket-page.ts`) import these from here only.
 * Runtime-neutral: it runs in a page too.
 * @packageDocumentation
 */

/** The WebSocket sub-protocol remora speaks (the page offers it, main selects it). */
export const WS_PROTOCOL = 'remora.1';
/** Prefix of the sub-protocol entry that carries the token: `remora-token.<token>`. */
export const WS_TOKEN_PREFIX = 'remora-token.';
/** Name of the URL-fragment parameter that hands the token to a page. */
export const TOKEN_FRAGMENT = 'remora-token';
/** Default path of the WebSocket on main's server. */
export const DEFAULT_WS_PATH = '/remora';
/** The sync endpoint's path is the WebSocket's path with this appended. */
export const SYNC_PATH_SUFFIX = '/sync';

/** Request headers of the sync endpoint. */
export const SYNC_HEADER = {
  /** The per-app token. */
  token: 'x-remora-token',
  /** The session key main issued on the socket. */
  session: 'x-remora-session',
  /** Messages the page sent on the socket before this request (it is routed after them). */
  seq: 'x-remora-seq',
  /** How long the page will wait, in ms (main caps it). */
  timeout: 'x-remora-timeout',
} as const;

/** What main sends first on every socket: the key sync requests name to reach this session. */
export interface SessionKeyMessage {
  remora: 'session';
  key: string;
}
