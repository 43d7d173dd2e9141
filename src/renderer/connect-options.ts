/**
 * What a renderer can set on its connection (`connect(transport, options)`) and per call
 * (`withOptions(handle, options)`), with the defaults, apart from the connection itself so the
 * handle modules, replicas and entry points can name them without importing it.
 * @packageDocumentation
 */
/** Options of a connection. */
export interface ConnectOptions {
  /** Default deadline of an async call, in ms. Default 30 000. */
  timeout?: number;
  /** Deadline of a synchronous call, in ms. Default 30 000. */
  syncTimeout?: number;
  /** Name reported to main (shows in inspection). */
  name?: string;
  /** Renderer generation reported in the handshake. Default 0. */
  generation?: number;
  /** Milliseconds to gather GC releases into one frame. Default 0 (next macrotask). */
  releaseDelay?: number;
  /**
   * How long to wait for main's `welcome` before the connection closes with `E_TIMEOUT`
   * (main may never have called `broker.connect(...)` for this transport), in ms. Default
   * 10 000; 0 waits forever.
   */
  handshakeTimeout?: number;
}

/** Per-call options (see `withOptions`). */
export interface CallOptions {
  /** Deadline in ms for this call. */
  timeout?: number;
  /** Abort the call: it rejects with `E_ABORTED` at once and main's call context sees the abort. */
  signal?: AbortSignal;
}

/** Default async call deadline. */
export const DEFAULT_TIMEOUT = 30_000;

/** Default wait for main's `welcome` (see {@link ConnectOptions.handshakeTimeout}). */
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000;
