/**
 * Sync handles: compatibility mode, with the semantics of Electron's `remote`.
 *
 * Reading a property, calling a method, assigning, and `new` each block until main answers
 * and return the value itself. Methods main reported with the ref are local stubs, so
 * `fs.readFileSync(p)` is one round trip. A main function that returns a promise gives a
 * real Promise here (the renderer is not blocked while it settles).
 * @packageDocumentation
 */
import type { Observable } from 'rxjs';
import * as errors from '../errors/factories.js';
import { handleTag, isObjectLike, toMain, type RequestDraft, type RequestFrame, type WireTagged } from '../protocol/index.js';
import type { Connection, HandleFactory } from './connection.js';
import { asyncHandleFor, handleState } from './handles.js';
import type { RefState } from './lifetime.js';

interface SyncState {
  readonly conn: Connection;
  readonly ref: RefState;
  /** Method stubs made so far (one per name). */
  readonly stubs: Map<string, (...args: unknown[]) => unknown>;
}

const STATE = Symbol('remora.sync');
const HOLDER = Symbol('remora.holder');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
type Target = { [STATE]: SyncState };
const states = new WeakMap<object, SyncState>();

function check(s: SyncState): void {
  // After the connection closed, the request itself fails with E_CLOSED (the more useful cause).
  if (s.ref.released && !s.conn.isClosed) throw errors.released();
}

function call(s: SyncState, draft: RequestDraft<RequestFrame>): unknown {
  check(s);
  return s.conn.requestSync(draft, SyncFlavour);
}

const handler: ProxyHandler<Target> = {
  get(target, key, receiver: object) {
    const s = target[STATE];
    if (typeof key === 'symbol') {
      if (key === Symbol.dispose) return () => s.conn.lifetime.release(s.ref, true);
      if (key === inspectSymbol || key === Symbol.toPrimitive) return () => `[remora sync handle ref ${s.ref.id}]`;
      if (key === Symbol.toStringTag) return 'RemoraSyncHandle';
      return undefined;
    }
    if (key === 'then') return undefined; // never thenable: `await handle` gives the handle
    if (s.ref.methods.has(key)) {
      let stub = s.stubs.get(key);
      if (!stub) {
        stub = function (this: unknown, ...args: unknown[]) {
          // Constructor functions that are not classes can still be used with `new`.
          const op = new.target ? toMain.new : toMain.apply;
          return call(s, op({ ref: s.ref.id, path: [key] }, s.conn.encodeArgs(args)));
        };
        // A method taken off the handle keeps the handle (and so the remote object) alive.
        (stub as unknown as Record<symbol, unknown>)[HOLDER] = receiver;
        s.stubs.set(key, stub);
      }
      return stub;
    }
    return call(s, toMain.get({ ref: s.ref.id, path: [key] }));
  },
  set(target, key, value) {
    if (typeof key === 'symbol') return false;
    const s = target[STATE];
    call(s, toMain.set({ ref: s.ref.id, path: [key] }, s.conn.encodeValue(value)));
    return true;
  },
  apply(target, _this, args) {
    const s = target[STATE];
    return call(s, toMain.apply({ ref: s.ref.id, path: [] }, s.conn.encodeArgs(args)));
  },
  construct(target, args) {
    const s = target[STATE];
    return call(s, toMain.new({ ref: s.ref.id, path: [] }, s.conn.encodeArgs(args))) as object;
  },
  has(target, key) {
    return typeof key === 'string' && target[STATE].ref.methods.has(key);
  },
};

function syncHandle(conn: Connection, ref: RefState): unknown {
  const existing = conn.lifetime.handle(ref, 'syncHandle');
  if (existing) return existing;
  let h: object;
  if (ref.kind === 'x') {
    // Observables are the same object in both flavours.
    h = asyncHandleFor(conn, ref) as Observable<unknown>;
    return h;
  }
  const target = function remoraSyncHandle() {} as unknown as Target;
  const s: SyncState = { conn, ref, stubs: new Map() };
  target[STATE] = s;
  h = new Proxy(target, handler);
  states.set(h, s);
  conn.lifetime.attach(ref, 'syncHandle', h);
  return h;
}

/** The sync handle flavour. */
export const SyncFlavour: HandleFactory = Object.freeze({ handle: syncHandle });

/**
 * Encode a sync handle passed back to main as `['h', id]`; undefined when `v` is none. One of
 * the encoders a connection is given (see client.ts).
 */
export function encodeSyncHandle(v: object): WireTagged | undefined {
  const s = states.get(v);
  if (!s) return undefined;
  check(s);
  return handleTag(s.ref.id);
}

/** Send a synchronous request that yields a root (require/global/current) and return its sync handle. */
export function syncRoot(conn: Connection, draft: RequestDraft<RequestFrame>): unknown {
  return conn.requestSync(draft, SyncFlavour);
}

/**
 * The sync flavour of a handle (compatibility mode). Blocks only when used.
 * @example
 * ```ts
 * const fsSync = toSync(await client.require<typeof import('fs')>('fs'));
 * const text = fsSync.readFileSync('/etc/hostname', 'utf8');
 * ```
 */
export function toSync<T>(handle: T): T extends object ? unknown : never {
  if (states.has(handle as object)) return handle as never;
  const s = handleState(handle);
  if (!s?.ref || !s.root) throw new TypeError('toSync expects a root remora handle (await pending values first).');
  return syncHandle(s.conn, s.ref) as never;
}

/** The async flavour of a sync handle. */
export function toAsync(handle: unknown): unknown {
  const s = states.get(handle as object);
  if (!s) {
    if (handleState(handle)) return handle;
    throw new TypeError('toAsync expects a remora handle.');
  }
  return asyncHandleFor(s.conn, s.ref);
}

/** The state of a sync handle (for other renderer modules). */
export function syncHandleState(v: unknown): { conn: Connection; ref: RefState } | undefined {
  return isObjectLike(v) ? states.get(v) : undefined;
}
