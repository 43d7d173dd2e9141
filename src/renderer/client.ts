/**
 * The renderer's entry point: {@link connect} opens a connection and returns a
 * {@link RemoraClient} with typed async access and, where the transport can block, the
 * compatibility `remote` object.
 *
 * @example
 * ```ts
 * import { connect } from 'remora/renderer';
 * import { connectToMain } from 'remora/transports/worker';
 * import type { Api } from '../main/api.js';
 *
 * const client = connect(await connectToMain());
 * const api = await client.require<Api>('api');
 * console.log(await api.add(1, 2));              // async, typed
 * console.log(client.remote.require('api').add(1, 2)); // sync, like Electron's remote
 * ```
 * @packageDocumentation
 */
import { toMain } from '../protocol/index.js';
import type { Transport } from '../transport.js';
import type { CallOptions, ConnectOptions } from './connect-options.js';
import { Connection, type HandleKinds } from './connection.js';
import { AsyncFlavour, encodeAsyncHandle, pendingHandle } from './handles.js';
import { encodeSyncHandle, syncRoot } from './sync-handles.js';
import type { RemoteCall, SyncRemote, SyncRemoted } from './types.js';

/** The compatibility object: Electron's `remote`, synchronous. */
export interface CompatRemote {
  /** A sync handle to an exposed module; a copy when it is a primitive or plain data (`require<number>` is a number). */
  require<T = any>(name: string): SyncRemoted<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A sync handle to an exposed global; a copy when it is a primitive or plain data (`getGlobal<string>` is a string). */
  getGlobal<T = any>(name: string): SyncRemoted<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The caller's own window (Electron; main must supply `current`). */
  getCurrentWindow<T = any>(): SyncRemote<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The caller's own webContents (Electron; main must supply `current`). */
  getCurrentWebContents<T = any>(): SyncRemote<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Main's exposed `process` global, fetched once and cached. */
  readonly process: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A renderer's connection to main, with typed entry points. */
export interface RemoraClient {
  /** The underlying connection (bus). */
  readonly connection: Connection;
  /** Resolves once main accepted the handshake. */
  readonly ready: Promise<void>;
  /** An exposed module; await for the handle, or call on it at once (pipelined). */
  require<T>(name: string, opts?: CallOptions): RemoteCall<T>;
  /** An exposed global; await for the handle (or copy, for plain data). */
  getGlobal<T>(name: string, opts?: CallOptions): RemoteCall<T>;
  /** The caller's own window/webContents, where main supplies them. */
  current<T>(what: 'window' | 'webContents' | (string & {}), opts?: CallOptions): RemoteCall<T>;
  /** Compatibility mode (synchronous); throws `E_SYNC_UNSUPPORTED` when used on a transport that cannot block. */
  readonly remote: CompatRemote;
  /** Close the connection; main releases everything this renderer held. */
  close(): void;
}

/**
 * The handle modules every connection works with: stream values and callback arguments arrive
 * as async handles; handles of either flavour travel back to main as refs. This is where the
 * handle modules meet the connection (it imports neither).
 */
export const HANDLE_KINDS: HandleKinds = Object.freeze({
  events: AsyncFlavour,
  encoders: Object.freeze([encodeSyncHandle, encodeAsyncHandle]),
});

/** Connect to main over `transport`. The handshake is sent at once; calls may start right away. */
export function connect(transport: Transport, options?: ConnectOptions): RemoraClient {
  const conn = new Connection(transport, HANDLE_KINDS, options);
  return clientFor(conn);
}

/** Wrap an existing connection. */
export function clientFor(conn: Connection): RemoraClient {
  return {
    connection: conn,
    ready: conn.ready,
    require: (name, opts) => pendingHandle(conn, toMain.require(name), opts) as never,
    getGlobal: (name, opts) => pendingHandle(conn, toMain.global(name), opts) as never,
    current: (what, opts) => pendingHandle(conn, toMain.current(what), opts) as never,
    remote: createRemote(conn),
    close: () => conn.close(),
  };
}

/**
 * The compatibility `remote` object for a connection: `require`, `getGlobal`,
 * `getCurrentWindow`, `getCurrentWebContents` and `process`, all synchronous.
 */
export function createRemote(conn: Connection): CompatRemote {
  let processCache: unknown;
  let processFetched = false;
  return {
    require: (name) => syncRoot(conn, toMain.require(name)) as never,
    getGlobal: (name) => syncRoot(conn, toMain.global(name)) as never,
    getCurrentWindow: () => syncRoot(conn, toMain.current('window')) as never,
    getCurrentWebContents: () => syncRoot(conn, toMain.current('webContents')) as never,
    get process() {
      if (!processFetched) {
        processCache = syncRoot(conn, toMain.global('process'));
        processFetched = true;
      }
      return processCache;
    },
  };
}
