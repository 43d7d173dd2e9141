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
  /** Aborted when the renderer cancels the call, or its session ends. */
  readonly signal: AbortSignal;
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
