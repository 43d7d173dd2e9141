/**
 * The call context: who is calling and whether they still want the answer. Read it
 * synchronously at the start of a main-side handler.
 *
 * The current context is one module-level slot on purpose: `callContext()` takes no argument
 * (a handler cannot be handed one), and the slot is set and restored around each synchronous
 * run of a call, so it holds nothing between calls and nothing per broker.
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
   * long after this call returned; its reason is an `E_CLOSED` RemoraError. remora removes the
   * listeners a renderer adds through a handle by itself; a renderer callback that your handler
   * stores or registers is yours to let go of, and this signal says when. It suits APIs that take
   * a `signal` option. Its own abort listeners must not throw: Node reports an exception thrown
   * by an AbortSignal listener as uncaught, which ends main; use {@link CallContext.onSessionEnd}
   * to run your own cleanup code.
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
  /**
   * Run `fn` when the calling renderer's session ends (at once if it already has), however long
   * after this call returned. An exception from `fn` is reported on `broker.inspect$` as
   * `dropped`, never thrown in main. Returns a function that cancels the hook: call it when you
   * let go of the callback yourself, so hooks do not pile up over a long session.
   * @example
   * ```ts
   * broker.exposeModule('prefs', () => ({
   *   watch(cb: (key: string) => void) {
   *     watchers.add(cb);
   *     const cancel = callContext()!.onSessionEnd(() => watchers.delete(cb));
   *     return { stop: () => (watchers.delete(cb), cancel()) };
   *   },
   * }));
   * ```
   */
  onSessionEnd(fn: () => void): () => void;
}

let current: CallContext | undefined;

/** The context of the call being served, or `undefined` outside a handler's synchronous part. */
export function callContext(): CallContext | undefined {
  return current;
}

/**
 * Run `fn(ctx, arg)` with `ctx` as the current call context (the session runs every handler
 * this way; `fn` and `arg` instead of a closure, which would be one allocation per request).
 * @example
 * ```ts
 * runInCallContext(call, base, (c, b) => owner.perform(c, b));
 * ```
 */
export function runInCallContext<C extends CallContext, A, T>(ctx: C, arg: A, fn: (ctx: C, arg: A) => T): T {
  const prev = current;
  current = ctx;
  try {
    return fn(ctx, arg);
  } finally {
    current = prev;
  }
}
