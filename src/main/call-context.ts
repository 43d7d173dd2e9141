/**
 * The call context: who is calling and whether they still want the answer. Read it
 * synchronously at the start of a main-side handler.
 *
 * @example
 * ```ts
 * broker.exposeModule('search', () => ({
 *   async query(q: string) {
 *     const { signal, session } = callContext()!;   // read before the first await
 *     return fetchResults(q, { signal });             // aborted when the renderer cancels
 *   },
 * }));
 * ```
 * @packageDocumentation
 */

/** What a handler can know about the call it is serving. */
export interface CallContext {
  /** The calling session's id. */
  readonly session: string;
  /** Transport-provided facts about the caller (e.g. `webContentsId`). */
  readonly info: Readonly<Record<string, unknown>>;
  /** Aborted when the renderer cancels the call, or its session ends while the call runs. */
  readonly signal: AbortSignal;
  /**
   * Aborted when the calling renderer's session ends (reload, navigation, crash, close), however
   * long after this call returned. remora removes the listeners a renderer adds through a handle
   * by itself; a renderer callback that your handler stores or registers is yours to let go of,
   * and this signal says when. Its reason is an `E_CLOSED` RemoraError.
   * @example
   * ```ts
   * broker.exposeModule('prefs', () => ({
   *   onChange(cb: (key: string) => void) {
   *     // removed when this renderer goes away, however it goes
   *     prefsTarget.addEventListener('change', (e) => cb(e.key), { signal: callContext()!.sessionSignal });
   *   },
   * }));
   * ```
   */
  readonly sessionSignal: AbortSignal;
}

let current: CallContext | undefined;

/** The context of the call being served, or `undefined` outside a handler's synchronous part. */
export function callContext(): CallContext | undefined {
  return current;
}

/** Run `fn` with `ctx` as the current call context (used by the session). */
export function withCallContext<T>(ctx: CallContext, fn: () => T): T {
  const prev = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
