/**
 * The handshake of one connection, seen from the renderer: the `hello` goes out at once, and
 * {@link Handshake.ready} settles when main answers, with `welcome` (resolved) or with a `bye`,
 * a close or a malformed frame (rejected with that cause). If no answer comes within the
 * handshake timeout (main may never have called `broker.connect(...)` for this transport),
 * the connection is closed with an `E_TIMEOUT` that names what it waited for.
 *
 * The timer is not unref'd: a pending handshake is pending work, so a Node script awaiting it
 * gets the error instead of exiting silently.
 * @packageDocumentation
 */
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';

/** The wait for main's `welcome`. */
export class Handshake {
  /** Resolves when main welcomed this renderer; rejects if the handshake failed. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (e: unknown) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Start waiting up to `timeoutMs` (0 or less: forever); `timedOut` closes the connection
   * with the error it is given.
   */
  constructor(timeoutMs: number, timedOut: (err: RemoraError) => void) {
    this.ready = new Promise<void>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => undefined);
    if (!(timeoutMs > 0)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      timedOut(errors.of('E_TIMEOUT', `Main's welcome did not arrive within ${timeoutMs} ms: is this renderer's transport connected on main's side (broker.connect(transport))? Raise handshakeTimeout if main is slow to start.`, { details: { ms: timeoutMs, waitedFor: 'welcome' } }));
    }, timeoutMs);
  }

  /** Main welcomed this renderer. */
  welcomed(): void {
    this.stop();
    this.resolveReady();
  }

  /** The connection ended (before or after the welcome): `ready` rejects with `err` if still waiting. */
  ended(err: RemoraError): void {
    this.stop();
    this.rejectReady(err);
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
