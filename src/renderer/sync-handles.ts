/**
 * Sync handles: compatibility mode, with the semantics of Electron's `remote`.
 *
 * Reading a property, calling a method, assigning, and `new` each block until main answers
 * and return the value itself. Methods main reported with the ref are local stubs, so
 * `fs.readFileSync(p)` is one round trip. A main function that returns a promise gives a
 * real Promise here (the renderer is not blocked while it settles).
 *
 * A handle looks like what it stands for (issue 17): `typeof` is 'object' for a remote object
 * and 'function' for a remote function; `in`, `Object.keys`, `JSON.stringify` and spread see
 * the own members main listed with the ref; `Object.getPrototypeOf` gives local stand-ins for
 * the remote prototype levels; `util.inspect` prints `RemoteObject #id { ... }` (its state sits
 * in a WeakMap, not on the proxy's target). A method stub is the remote function object: its
 * own properties are read and written in main. `delete` is refused (E_DENIED).
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
  /** The local stand-in for the remote prototype chain (made on first `Object.getPrototypeOf`). */
  proto?: object;
}

/** What a method stub stands for: member `key` of the handle of `s`. */
interface StubState {
  readonly s: SyncState;
  readonly key: string;
  /** The handle the stub was read from: a method taken off it keeps the remote object alive. */
  readonly holder: object;
  /** The remote function object itself (fetched on the first read or write of one of its properties). */
  fn?: unknown;
}

/**
 * The remote function object a stub stands for, as a sync handle: its own properties are read
 * and written there (so `fn.tag = 'x'` reaches main, and a function main removed from its
 * object still answers for itself, as Electron's remote functions did).
 */
function functionOf(st: StubState): unknown {
  if (st.fn === undefined) st.fn = call(st.s, toMain.get({ ref: st.s.ref.id, path: [st.key] }));
  return st.fn;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
/** Handle state by proxy target (a WeakMap, so neither `util.inspect` nor devtools show remora's internals on the target). */
const targets = new WeakMap<object, SyncState>();
const stubTargets = new WeakMap<object, StubState>();
const states = new WeakMap<object, SyncState>();

/** What `console.log` / `util.inspect` print for a handle: the ref and the member names main listed, no internals. */
function describe(s: SyncState): string {
  const names = [...new Set([...(s.ref.ownKeys ?? []), ...s.ref.methods])].map((k) => (s.ref.methods.has(k) ? `${k}()` : k));
  const what = s.ref.kind === 'f' ? 'RemoteFunction' : 'RemoteObject';
  return `${what} #${s.ref.id}${names.length > 0 ? ` { ${names.join(', ')} }` : ' {}'}`;
}

/** Found by `util.inspect` on a proxy's target (Node inspects the target, calling this with the proxy). */
function inspectHandle(this: unknown): string {
  const s = states.get(this as object);
  if (s) return describe(s);
  const st = stubTargets.get(this as object) ?? stubOfProxy.get(this as object);
  return st ? `RemoteFunction ${st.key} of ${describe(st.s)}` : '[remote value]';
}
const stubOfProxy = new WeakMap<object, StubState>();

/** Handles of remote objects inherit from this (not Object.prototype), so the codec never mistakes one for plain data. */
const REMOTE_OBJECT = Object.create(Object.prototype, {
  [inspectSymbol]: { value: inspectHandle },
  [Symbol.toStringTag]: { value: 'RemoteObject' },
}) as object;

function check(s: SyncState): void {
  // After the connection closed, the request itself fails with E_CLOSED (the more useful cause).
  if (s.ref.released && !s.conn.isClosed) throw errors.released();
}

function call(s: SyncState, draft: RequestDraft<RequestFrame>): unknown {
  check(s);
  return s.conn.requestSync(draft, SyncFlavour);
}

function refuseDelete(key: string | symbol): never {
  throw errors.denied({ what: `deleting "${String(key)}" through a remora handle`, advice: "Main's objects change only in main: call a main method that deletes it (see docs/migration.md)." });
}

/** The stub of method `key`: a local function that calls it in one round trip, and reads/writes its own properties remotely. */
function stubFor(s: SyncState, key: string, holder: object): (...args: unknown[]) => unknown {
  let stub = s.stubs.get(key);
  if (!stub) {
    const target = function remoteMethod() {};
    const st: StubState = { s, key, holder };
    stubTargets.set(target, st);
    (target as unknown as Record<symbol, unknown>)[inspectSymbol] = inspectHandle;
    stub = new Proxy(target, stubHandler) as unknown as (...args: unknown[]) => unknown;
    stubOfProxy.set(stub, st);
    s.stubs.set(key, stub);
  }
  return stub;
}

/** Function.prototype members a stub keeps local: `fn.call(...)`, `fn.apply(...)`, `fn.bind(...)`. */
const LOCAL_FUNCTION_KEYS: ReadonlySet<string> = new Set(['call', 'apply', 'bind', 'prototype']);

const stubHandler: ProxyHandler<() => void> = {
  get(target, prop) {
    const st = stubTargets.get(target)!;
    if (typeof prop === 'symbol') {
      if (prop === inspectSymbol || prop === Symbol.toPrimitive) return () => inspectHandle.call(target);
      return undefined;
    }
    if (prop === 'then') return undefined;
    if (LOCAL_FUNCTION_KEYS.has(prop)) return Reflect.get(target, prop);
    // The remote function object's own members (`fn.tag`, `fn.name`, `fn.method1`, `fn.toString`);
    // once main removed the member, it has none (undefined, not a local stand-in).
    const fn = functionOf(st);
    return fn === undefined || fn === null ? undefined : (fn as Record<string, unknown>)[prop];
  },
  set(target, prop, value) {
    if (typeof prop === 'symbol') return false;
    const st = stubTargets.get(target)!;
    const fn = functionOf(st);
    if (fn === undefined || fn === null) throw new TypeError(`Cannot set "${prop}": main no longer has "${st.key}".`);
    (fn as Record<string, unknown>)[prop] = value;
    return true;
  },
  apply(target, _this, args) {
    const { s, key } = stubTargets.get(target)!;
    return call(s, toMain.apply({ ref: s.ref.id, path: [key] }, s.conn.encodeArgs(args)));
  },
  construct(target, args) {
    // Constructor functions that are not classes can still be used with `new`.
    const { s, key } = stubTargets.get(target)!;
    return call(s, toMain.new({ ref: s.ref.id, path: [key] }, s.conn.encodeArgs(args))) as object;
  },
  deleteProperty(_target, prop) {
    return refuseDelete(prop);
  },
};

/** The remote prototype chain as local objects: one per level main listed, each with its method stubs, non-enumerable. */
function protoOf(s: SyncState, receiver: object): object {
  if (s.proto) return s.proto;
  let proto: object = s.ref.kind === 'f' ? Function.prototype : REMOTE_OBJECT;
  // No levels from main: the methods, if any, all live on the first prototype.
  const levels = s.ref.protoLevels ?? (s.ref.ownKeys === undefined && s.ref.methods.size > 0 ? [[...s.ref.methods]] : []);
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = Object.create(proto) as object;
    for (const name of levels[i]!) Object.defineProperty(level, name, { value: stubFor(s, name, receiver), writable: true, configurable: true });
    proto = level;
  }
  s.proto = proto;
  return proto;
}

function isOwn(s: SyncState, key: string | symbol): key is string {
  return typeof key === 'string' && (s.ref.ownKeys?.includes(key) ?? false);
}

const handler: ProxyHandler<object> = {
  get(target, key, receiver: object) {
    const s = targets.get(target)!;
    if (typeof key === 'symbol') {
      if (key === Symbol.dispose) return () => s.conn.lifetime.release(s.ref, true);
      if (key === inspectSymbol || key === Symbol.toPrimitive) return () => describe(s);
      if (key === Symbol.toStringTag) return s.ref.kind === 'f' ? undefined : 'RemoteObject';
      return undefined;
    }
    if (key === 'then') return undefined; // never thenable: `await handle` gives the handle
    if (s.ref.methods.has(key)) return stubFor(s, key, receiver);
    return call(s, toMain.get({ ref: s.ref.id, path: [key] }));
  },
  set(target, key, value) {
    if (typeof key === 'symbol') return false;
    const s = targets.get(target)!;
    call(s, toMain.set({ ref: s.ref.id, path: [key] }, s.conn.encodeValue(value)));
    return true;
  },
  apply(target, _this, args) {
    const s = targets.get(target)!;
    return call(s, toMain.apply({ ref: s.ref.id, path: [] }, s.conn.encodeArgs(args)));
  },
  construct(target, args) {
    const s = targets.get(target)!;
    return call(s, toMain.new({ ref: s.ref.id, path: [] }, s.conn.encodeArgs(args))) as object;
  },
  has(target, key) {
    const s = targets.get(target)!;
    if (typeof key !== 'string' || key === 'then') return false;
    return s.ref.methods.has(key) || isOwn(s, key) || (s.ref.protoLevels?.some((l) => l.includes(key)) ?? false);
  },
  // Reflection sees the members main listed with the ref (as @electron/remote's remote objects did):
  // own members are enumerable accessors (a read is a round trip), methods are their stubs.
  ownKeys(target) {
    const s = targets.get(target)!;
    const keys = [...(s.ref.ownKeys ?? [])];
    if (typeof target === 'function' && !keys.includes('prototype')) keys.push('prototype'); // the target's own, not configurable
    return keys;
  },
  getOwnPropertyDescriptor(target, key) {
    const s = targets.get(target)!;
    if (isOwn(s, key)) {
      const proxy = s.ref.syncHandle?.deref() as Record<string, unknown> | undefined;
      if (s.ref.methods.has(key) && proxy) return { value: stubFor(s, key, proxy), writable: true, enumerable: true, configurable: true };
      return { get: () => proxy?.[key], set: (v: unknown) => { if (proxy) proxy[key] = v; }, enumerable: true, configurable: true };
    }
    const own = Reflect.getOwnPropertyDescriptor(target, key);
    return own && !own.configurable ? own : undefined;
  },
  getPrototypeOf(target) {
    const s = targets.get(target)!;
    return protoOf(s, s.ref.syncHandle?.deref() ?? target);
  },
  deleteProperty(_target, key) {
    return refuseDelete(key);
  },
  defineProperty() {
    return false;
  },
  setPrototypeOf() {
    return false;
  },
  preventExtensions() {
    return false;
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
  // typeof follows what the handle stands for: 'function' for a remote function, else 'object'.
  const target: object = ref.kind === 'f' ? function remoteFunction() {} : Object.create(REMOTE_OBJECT);
  if (ref.kind === 'f') (target as Record<symbol, unknown>)[inspectSymbol] = inspectHandle;
  const s: SyncState = { conn, ref, stubs: new Map() };
  targets.set(target, s);
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
