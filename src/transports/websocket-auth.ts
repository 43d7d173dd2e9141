/**
 * Who may talk to main's WebSocket server: every connection presents the per-app token (in a
 * WebSocket sub-protocol entry, or a header on the sync endpoint) and, from a browser, an
 * allowed `Origin`. The gate answers before a socket exists or a frame is routed.
 * @packageDocumentation
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as errors from '../errors/factories.js';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from './websocket-wire.js';

/** Characters and length a token may have (it travels as a WebSocket sub-protocol). */
const TOKEN_SHAPE = /^[A-Za-z0-9_~.-]{16,512}$/;

/**
 * The token to use: the one given, or 32 random bytes as hex.
 * @throws RemoraError `E_INVALID_ARGS` when a given token has the wrong shape.
 */
export function tokenOf(given: string | undefined): string {
  const token = given ?? randomBytes(32).toString('hex');
  if (!TOKEN_SHAPE.test(token)) {
    throw errors.invalidArgs({ what: 'The token must be 16 to 512 characters from [A-Za-z0-9_~.-] (it travels as a WebSocket sub-protocol)' });
  }
  return token;
}

/** Why an upgrade request was refused: the HTTP status and its reason phrase. */
export interface Refusal {
  readonly status: number;
  readonly text: string;
}

/** The token and Origin checks of one server. */
export class AccessGate {
  private readonly token: Buffer;
  private origins: ReadonlySet<string>;

  constructor(
    token: string,
    /** Allowed origins; when not given, the server's own (see {@link useOwnOrigins}). */
    private readonly allowedOrigins: readonly string[] | undefined,
    /** Accept requests without an `Origin` header. */
    private readonly allowMissingOrigin: boolean,
  ) {
    this.token = Buffer.from(token);
    this.origins = new Set(allowedOrigins ?? []);
  }

  /** Once the server listens: allow its own origins, unless origins were given explicitly. */
  useOwnOrigins(own: readonly string[]): void {
    if (!this.allowedOrigins) this.origins = new Set(own);
  }

  /** True when a request with this `Origin` header (or none) may pass. */
  originAllowed(origin: string | undefined): boolean {
    return origin === undefined ? this.allowMissingOrigin : this.origins.has(origin);
  }

  /** True when `given` is the token (compared in constant time). */
  tokenMatches(given: string | undefined): boolean {
    if (given === undefined) return false;
    const b = Buffer.from(given);
    return b.length === this.token.length && timingSafeEqual(b, this.token);
  }

  /**
   * Check a WebSocket upgrade: origin (403), token in the offered sub-protocols (401), then
   * remora's own sub-protocol offered (400). `undefined` when it may pass.
   */
  refuseUpgrade(headers: IncomingHttpHeaders): Refusal | undefined {
    if (!this.originAllowed(headers.origin)) return { status: 403, text: 'Forbidden' };
    const offered = (headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const given = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length);
    if (!this.tokenMatches(given)) return { status: 401, text: 'Unauthorized' };
    if (!offered.includes(WS_PROTOCOL)) return { status: 400, text: 'Bad Request' };
    return undefined;
  }
}
