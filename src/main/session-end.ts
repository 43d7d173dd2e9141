/**
 * Session end, as main-side code sees it: the signal that aborts when a renderer goes away,
 * the hooks that run then, and the `E_CLOSED` error they carry. The session runs the end
 * itself (calls, pipes, streams, listeners, callbacks, refs, transport, in that order) and
 * fires these last, so code that kept renderer callbacks lets go of them after the tables
 * are empty.
 * @packageDocumentation
 */
import { setMaxListeners } from 'node:events';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import type { CloseReason } from '../transport.js';

/** The end signal and end hooks of one session. */
export class SessionEnd {
  private controller: AbortController | undefined;
  private hooks: Set<() => void> | undefined;
  private why: CloseReason | undefined;

  /** @param failed - hears a hook's exception (main-side cleanup code failed; never thrown out of close). */
  constructor(private readonly failed: (e: unknown) => void) {}

  /** True once the session ended. */
  get ended(): boolean {
    return this.why !== undefined;
  }

  /** Why the session ended, once it has. */
  get reason(): CloseReason | undefined {
    return this.why;
  }

  /** The error that calls, pipes and the signal are aborted with. */
  error(): RemoraError {
    return errors.rendererGone({ kind: this.why?.kind ?? 'closed' });
  }

  /** Aborted (with `E_CLOSED`) when the session ends; made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // One signal for the whole session: handlers may hang a listener on it per call.
      setMaxListeners(0, this.controller.signal);
      if (this.ended) this.controller.abort(this.error());
    }
    return this.controller.signal;
  }

  /** Run `fn` when the session ends (at once if it has); returns a function that cancels it. */
  onEnd(fn: () => void): () => void {
    if (this.ended) {
      this.runHook(fn);
      return () => undefined;
    }
    (this.hooks ??= new Set()).add(fn);
    return () => void this.hooks?.delete(fn);
  }

  /** The session is ending for `reason` (before its tables are emptied). */
  begin(reason: CloseReason): void {
    this.why = reason;
  }

  /**
   * The tables are empty: run the hooks, guarded, then abort the signal with `aborted`. An
   * exception thrown by an AbortSignal listener is Node's to report (as uncaught).
   */
  finish(aborted: RemoraError): void {
    const hooks = this.hooks;
    this.hooks = undefined;
    if (hooks) for (const fn of hooks) this.runHook(fn);
    this.controller?.abort(aborted);
  }

  private runHook(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.failed(e);
    }
  }
}
