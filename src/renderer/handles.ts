/**
 * Async handles: Proxies that turn property reads, calls and `new` into requests to main.
 *
 * A handle to a held object (a "root" handle) is not thenable, so `await` on it gives the
 * handle back. Anything read or called on it is a pending value: thenable (await it for the
 * result) and pipelinable: calls on a pending value made in the same tick travel in the same
 * message and run in main without waiting for the renderer, so `await api.a().b().c()` costs
 * one round trip.
 * @packageDocumentation
 */
import { Observable } from 'rxjs';
import * as errors from '../errors/factories.js';
import { handleTag, isObjectLike, toMain, type RequestDraft, type RequestFrame, type TargetOf, type WireTagged } from '../protocol/index.js';
import type { CallOptions } from './connect-options.js';
import type { Connection, HandleFactory } from './connection.js';
import type { RefState } from './lifetime.js';
import type { PendingCall } from './pending-calls.js';
import { NativePromise } from './native-promise.js';


/** Where a pending value comes from. */
type Base = { readonly ref: RefState } | { readonly call: PendingCall } | { readonly promise: Promise<unknown> };

interface HandleState {
  readonly conn: Connection;
  readonly base: Base;
  readonly path: readonly string[];
  readonly opts: CallOptions | undefined;
  /** A handle to a held object (ref base, empty path). */
  readonly root: boolean;
  /**
   * The root handle this one was derived from (`counter.inc` from `counter`): held strongly so
   * the remote object is not released by GC while a member of its handle is still in use.
   */
  readonly holder?: object;
  /** Member handles of a root (`api.add`), made once and reused; bounded. */
  members?: Map<string, unknown>;
}

const STATE = Symbol('remora.handle');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

type Target = { [STATE]: HandleState };

/**
 * Marks a state made by {@link make}: a handle is found by reading its `STATE` key through its
 * own trap, and a foreign Proxy answering every key cannot forge this mark.
 */
const OWN = Symbol('remora.own');

/**
 * The state behind a handle of this module, or undefined. A handle answers its `STATE` key
 * (no weak map: an entry per handle, so per call and per received ref, costs the GC more than
 * the call itself through its ephemeron tables, about 8 µs per round trip over worker_threads).
 */
function stateOf(v: unknown): HandleState | undefined {
  if (typeof v !== 'function' && (typeof v !== 'object' || v === null)) return undefined;
  let s: unknown;
  try {
    s = (v as Partial<Target>)[STATE];
  } catch {
    return undefined; // a revoked (foreign) Proxy
  }
  return s !== null && typeof s === 'object' && (s as { [OWN]?: unknown })[OWN] === OWN ? (s as HandleState) : undefined;
}
const MAX_CACHED_MEMBERS = 64;
/** The path of a call's result handle: one shared empty path (paths are copied when extended, never written). */
const NO_PATH: readonly string[] = Object.freeze([]);

function describe(s: HandleState): string {
  const where = 'ref' in s.base ? `ref ${s.base.ref.id}` : 'call' in s.base ? `result of #${s.base.call.frame.id}` : 'pending value';
  return `[remora ${s.root ? 'handle' : 'pending'} ${where}${s.path.length ? ` .${s.path.join('.')}` : ''}]`;
}

const handler: ProxyHandler<Target> = {
  get(target, key, receiver: object) {
    const s = target[STATE];
    if (typeof key === 'symbol') {
      if (key === STATE) return s;
      if (key === Symbol.dispose || key === Symbol.asyncDispose) return s.root ? () => dispose(s) : undefined;
      if (key === inspectSymbol || key === Symbol.toPrimitive) return () => describe(s);
      if (key === Symbol.toStringTag) return 'RemoraHandle';
      return undefined;
    }
    // RxJS takes anything with an '@@observable' method for an Observable (interop); a handle
    // is not one, so `switchMap(() => api.call())` treats the pending call as a promise.
    if (key === '@@observable') return undefined;
    if (key === 'then') {
      if (s.root) return undefined;
      return (res: (v: unknown) => unknown, rej: (e: unknown) => unknown) => settleOf(s).then(res, rej);
    }
    // A pending value is a promise: `api.call().catch(...)` and `.finally(...)` are the Promise
    // methods, not remote members (read a remote member of that name with `await (await x).catch`).
    if (!s.root && (key === 'catch' || key === 'finally')) {
      return (f: (v: unknown) => unknown) => (key === 'catch' ? settleOf(s).catch(f) : settleOf(s).finally(f as () => void));
    }
    if (!s.root) return make({ conn: s.conn, base: s.base, path: [...s.path, key], opts: s.opts, root: false, holder: s.holder });
    // `api.add(…)` in a loop: reuse the member handle of a held object (it carries no state).
    const members = (s.members ??= new Map());
    let h = members.get(key);
    if (h === undefined) {
      h = make({ conn: s.conn, base: s.base, path: [key], opts: s.opts, root: false, holder: receiver });
      if (members.size < MAX_CACHED_MEMBERS) members.set(key, h);
    }
    return h;
  },
  apply(target, _this, args) {
    const s = target[STATE];
    return make({ conn: s.conn, base: issue(s, 'apply', args), path: NO_PATH, opts: s.opts, root: false });
  },
  construct(target, args) {
    const s = target[STATE];
    return make({ conn: s.conn, base: issue(s, 'new', args), path: NO_PATH, opts: s.opts, root: false }) as object;
  },
  set(target, key) {
    throw new TypeError(`Cannot assign ${String(key)} through an async remora handle (${describe(target[STATE])}): use \`await setRemote(handle, key, value)\` or a sync handle.`);
  },
  has(_target, key) {
    return typeof key === 'string' && key !== 'then' && key !== '@@observable';
  },
};

/** Root handles of remote objects inherit from this: `typeof` is 'object', the codec never takes one for plain data, `util.inspect` prints it. */
const REMOTE_OBJECT = Object.create(Object.prototype, {
  [inspectSymbol]: { value: inspectAsync },
  [Symbol.toStringTag]: { value: 'RemoteObject' },
}) as object;

/** Found by `util.inspect` on a proxy's target (Node inspects the target, calling this with the proxy): no internals. */
function inspectAsync(this: unknown): string {
  const s = stateOf(this);
  return s ? describe(s) : '[remote value]';
}

function make(s: HandleState): unknown {
  // A function target makes the proxy callable and constructible; a root handle of a remote
  // object (not a function) has an object target, so `typeof` says 'object'.
  const objectRoot = s.root && 'ref' in s.base && s.base.ref.kind === 'o';
  const target = (objectRoot ? Object.create(REMOTE_OBJECT) : function remoraHandle() {}) as Target;
  (s as { [OWN]?: symbol })[OWN] = OWN;
  target[STATE] = s;
  if (!objectRoot) (target as unknown as Record<symbol, unknown>)[inspectSymbol] = inspectAsync;
  return new Proxy(target, handler);
}

function dispose(s: HandleState): void {
  if ('ref' in s.base) s.conn.lifetime.release(s.base.ref, true);
}

/** The value a pending handle stands for (a `get` of its path, or its call's result). */
function settleOf(s: HandleState): Promise<unknown> {
  if (s.path.length === 0 && !('ref' in s.base)) return valueOf(s.base);
  return valueOf(issue(s, 'get'));
}

function valueOf(b: Base): Promise<unknown> {
  return 'call' in b ? b.call.promise : 'promise' in b ? b.promise : NativePromise.resolve(undefined);
}

/** A derived promise that never reports an unhandled rejection (its consumers see the error). */
function quiet(p: Promise<unknown>): { promise: Promise<unknown> } {
  p.catch(() => undefined);
  return { promise: p };
}

/**
 * Send an operation on a handle's base and path. Pipelines on a pending call still queued in
 * this tick; otherwise waits for the base and continues from its value.
 */
function issue(s: HandleState, t: 'get' | 'apply' | 'new', args?: unknown[]): Base {
  if (args && args.some(isPending)) {
    // An argument is itself pending: wait for it, then send with the settled values.
    return quiet(NativePromise.all(args.map((a) => (isPending(a) ? settleOf(stateOf(a)!) : a))).then((vals) => valueOf(issue(s, t, vals))));
  }
  const b = s.base;
  if ('ref' in b) {
    // After the connection closed, the request itself fails with E_CLOSED (the more useful cause).
    if (b.ref.released && !s.conn.isClosed) return quiet(NativePromise.reject(errors.released()));
    return { call: send(s, t, { ref: b.ref.id, path: s.path as string[] }, args) };
  }
  if ('call' in b && !b.call.sent && !b.call.settled) {
    b.call.frame.k = (b.call.frame.k ?? 0) + 1;
    return { call: send(s, t, { on: b.call.frame.id, path: s.path as string[] }, args) };
  }
  return quiet(valueOf(b).then((v) => operateOn(s.conn, v, s.path, t, args, s.opts)));
}

function send(s: HandleState, t: 'get' | 'apply' | 'new', target: TargetOf, args?: unknown[]): PendingCall {
  const draft = t === 'get' ? toMain.get(target) : toMain[t](target, s.conn.encodeArgs(args ?? []));
  return s.conn.request(draft, AsyncFlavour, s.opts);
}

/** Continue an operation from a settled value: remote again if it is a handle, local if it is data. */
function operateOn(conn: Connection, v: unknown, path: readonly string[], t: 'get' | 'apply' | 'new', args: unknown[] | undefined, opts: CallOptions | undefined): Promise<unknown> {
  let cur = v;
  for (let i = 0; i <= path.length; i++) {
    const hs = stateOf(cur);
    if (hs && hs.root) return valueOf(issue({ conn, base: hs.base, path: path.slice(i), opts: opts ?? hs.opts, root: false }, t, args));
    if (i === path.length) break;
    if (cur === null || cur === undefined) return NativePromise.reject(new TypeError(`Cannot read "${path[i]}" of ${String(cur)}.`));
    cur = (cur as Record<string, unknown>)[path[i]!];
  }
  if (t === 'get') return NativePromise.resolve(cur);
  return NativePromise.reject(new TypeError(`"${path.join('.')}" is not a remote function.`));
}

function isPending(a: unknown): boolean {
  if (!isObjectLike(a)) return false;
  const s = stateOf(a);
  return s !== undefined && !s.root;
}

/** Make the async handle (or remote Observable) for a ref. */
function asyncHandle(conn: Connection, state: RefState): unknown {
  const existing = conn.lifetime.handle(state, 'asyncHandle');
  if (existing) return existing;
  const h = state.kind === 'x' ? remoteObservable(conn, state) : make({ conn, base: { ref: state }, path: [], opts: undefined, root: true });
  conn.lifetime.attach(state, 'asyncHandle', h as object);
  return h;
}

/** The async handle flavour. */
export const AsyncFlavour: HandleFactory = Object.freeze({ handle: asyncHandle });

const observableStates = new WeakMap<object, { conn: Connection; state: RefState }>();

/** An Observable standing for a main-side Observable: each subscription is one remote subscription. */
function remoteObservable(conn: Connection, state: RefState): Observable<unknown> {
  const obs = new Observable<unknown>((subscriber) => {
    if (state.released) {
      subscriber.error(errors.released());
      return undefined;
    }
    const id = conn.openStream(toMain.sub({ ref: state.id, path: [] }), {
      next: (v) => subscriber.next(v),
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => conn.closeStream(id);
  });
  observableStates.set(obs, { conn, state });
  (obs as unknown as Record<symbol, unknown>)[Symbol.dispose] = () => conn.lifetime.release(state, true);
  return obs;
}

/**
 * Encode an async handle (or remote Observable) passed back to main as `['h', id]`; undefined
 * when `v` is neither. One of the encoders a connection is given (see client.ts).
 */
export function encodeAsyncHandle(v: object): WireTagged | undefined {
  const s = stateOf(v);
  if (s) {
    if (!s.root || !('ref' in s.base)) throw errors.of('E_BAD_VALUE', 'A pending remote value cannot be nested inside an argument; await it first.');
    if (s.base.ref.released) throw errors.released();
    return handleTag(s.base.ref.id);
  }
  const o = observableStates.get(v);
  if (o) return handleTag(o.state.id);
  return undefined;
}

/** The state behind an async handle, if `v` is one (for other renderer modules). */
export function handleState(v: unknown): { conn: Connection; ref: RefState | undefined; root: boolean; path: readonly string[] } | undefined {
  if (!isObjectLike(v)) return undefined;
  const s = stateOf(v);
  if (s) return { conn: s.conn, ref: 'ref' in s.base ? s.base.ref : undefined, root: s.root, path: s.path };
  const o = observableStates.get(v);
  if (o) return { conn: o.conn, ref: o.state, root: true, path: [] };
  return undefined;
}

/** An async root handle for a ref state (used by sync→async conversion). */
export function asyncHandleFor(conn: Connection, state: RefState): unknown {
  return asyncHandle(conn, state);
}

/** A pending handle for a request the connection sends now (`require`, `global`, `current`). */
export function pendingHandle(conn: Connection, draft: RequestDraft<RequestFrame>, opts?: CallOptions): unknown {
  const call = conn.request(draft, AsyncFlavour, opts);
  return make({ conn, base: { call }, path: [], opts, root: false });
}

/**
 * A view of `handle` whose calls use `opts` (deadline, AbortSignal).
 * @example
 * ```ts
 * const ac = new AbortController();
 * const p = withOptions(api, { signal: ac.signal, timeout: 5000 }).slowQuery('x');
 * ac.abort(); // p rejects with E_ABORTED; main's callContext().signal is aborted
 * ```
 */
export function withOptions<T>(handle: T, opts: CallOptions): T {
  const s = stateOf(handle);
  if (!s) throw new TypeError('withOptions expects a remora handle.');
  return make({ ...s, opts: { ...s.opts, ...opts }, holder: s.root ? (handle as object) : s.holder, members: undefined }) as T;
}

/**
 * Assign a property through an async handle.
 * @example
 * ```ts
 * await setRemote(settings, 'theme', 'dark');
 * ```
 */
export function setRemote(handle: unknown, key: string, value: unknown): Promise<void> {
  const s = stateOf(handle);
  if (!s) return NativePromise.reject(new TypeError('setRemote expects a remora handle.'));
  const path = [...s.path, key];
  const b = s.base;
  const go = (ref: number): Promise<void> =>
    s.conn.request(toMain.set({ ref, path }, s.conn.encodeValue(value)), AsyncFlavour, s.opts).promise as Promise<void>;
  if ('ref' in b) return b.ref.released && !s.conn.isClosed ? NativePromise.reject(errors.released()) : go(b.ref.id);
  return settleOf({ ...s, path: [] }).then((v) => {
    const hs = stateOf(v);
    if (!hs || !('ref' in hs.base)) throw new TypeError('setRemote: the target is not a remote object.');
    return setRemote(v, key, value);
  });
}

/** Release a handle now (same as `handle[Symbol.dispose]()`). */
export function release(handle: unknown): void {
  const s = handleState(handle);
  if (s?.ref) s.conn.lifetime.release(s.ref, true);
}

