/**
 * Renderer-side lifetime of remote objects.
 *
 * One {@link RefState} per ref id the renderer holds; it counts how many times main sent the
 * ref, and keeps at most one async handle and one sync handle for it, weakly (so one remote
 * object has one handle of each flavour). When every handle of a ref has been
 * garbage-collected, a FinalizationRegistry queues `[id, count]` and the queue goes to main as
 * one batched `release` frame. Disposing a handle (`handle[Symbol.dispose]()`) releases at
 * once and makes the handle unusable.
 *
 * Two defences against V8's FinalizationRegistry scheduling (docs/lifetime.md, "When
 * finalizers stop"): every connection shares one module-level registry, because a registry
 * that becomes garbage while V8 has cleanup pending can stop cleanup for every registry in the
 * isolate (seen on Node 20); and the ref cache sweeps itself for handles whose WeakRefs are
 * empty whenever it doubles in size, so main still gets its releases if something else in the
 * page stalls finalizers.
 *
 * That registry (and the method-set cache beside it) is module-level on purpose: the one
 * deliberate exception to "no import-time mutable singletons" in the renderer, for the reason
 * above. Nothing configures it and no module reassigns it.
 * @packageDocumentation
 */
import type { RefKind } from '../protocol/codec.js';

/** The renderer's record of one ref. */
export interface RefState {
  readonly id: number;
  readonly kind: RefKind;
  /** Method names (for sync handles: one round trip per method call). */
  methods: ReadonlySet<string>;
  /** Own enumerable member names main listed with the ref (reflection: `Object.keys`, `in`, spread). */
  ownKeys?: readonly string[];
  /** Method names of each prototype level main listed with the ref (reflection: `Object.getPrototypeOf`). */
  protoLevels?: readonly (readonly string[])[];
  /** Sends received from main and not yet released. */
  count: number;
  asyncHandle: WeakRef<object> | undefined;
  syncHandle: WeakRef<object> | undefined;
  /** Set once released; any later use fails with `E_RELEASED`. */
  released: boolean;
}

type Flavour = 'asyncHandle' | 'syncHandle';

/** Method sets shared between refs of the same shape (many instances of one class). */
const methodSets = new Map<string, ReadonlySet<string>>();
const NO_METHODS: ReadonlySet<string> = new Set();

function methodSet(methods: readonly string[] | undefined): ReadonlySet<string> {
  if (!methods || methods.length === 0) return NO_METHODS;
  const key = methods.join('\u0000');
  let set = methodSets.get(key);
  if (!set) {
    set = new Set(methods);
    if (methodSets.size < 1024) methodSets.set(key, set);
  }
  return set;
}

/** What the shared registry holds for one handle; the ref's state is the unregister token. */
interface Held {
  readonly owner: Lifetime;
  readonly state: RefState;
  readonly flavour: Flavour;
}

/**
 * One registry for all connections in this realm. Registries that die with their connection
 * can, on Node 20's V8, leave the engine's cleanup task flagged as posted with nothing to run,
 * after which no FinalizationRegistry callback in the isolate runs again.
 */
const registry = new FinalizationRegistry<Held>((held) => held.owner.collected(held.state, held.flavour));

/** The cache never sweeps below this many refs (a sweep walks every ref). */
const MIN_SWEEP = 1024;

/** The ref cache of one connection. */
export class Lifetime {
  private readonly states = new Map<number, RefState>();
  /** Sweep for collected handles when the cache reaches this size (then twice the live size). */
  private sweepAt = MIN_SWEEP;
  private queue: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set by {@link Lifetime.clear}: main dropped everything, nothing is tracked any more. */
  private cleared = false;

  constructor(
    /** Sends a `release` frame with `[id, count, ...]` pairs. */
    private readonly sendRelease: (pairs: number[]) => void,
    /** Milliseconds to gather releases before sending. */
    private readonly delayMs: number,
  ) {}

  /** Refs held now. */
  get size(): number {
    return this.states.size;
  }

  /** Record one more receipt of ref `id`; returns its state. */
  received(id: number, kind: RefKind, methods: readonly string[] | undefined, ownKeys?: readonly string[], protoLevels?: readonly (readonly string[])[]): RefState {
    let s = this.states.get(id);
    if (s && !s.released) {
      s.count++;
      if (methods && methods.length !== s.methods.size) s.methods = methodSet(methods);
      if (ownKeys) s.ownKeys = ownKeys;
      if (protoLevels) s.protoLevels = protoLevels;
      return s;
    }
    // After the close (a deferred result decoded late) a ref is born released and untracked:
    // its handle fails with E_CLOSED, and nothing registers that would keep this cache alive.
    const cleared = this.cleared;
    if (!cleared && this.states.size >= this.sweepAt) this.sweep();
    s = { id, kind, methods: methodSet(methods), ownKeys, protoLevels, count: cleared ? 0 : 1, asyncHandle: undefined, syncHandle: undefined, released: cleared };
    if (!cleared) this.states.set(id, s);
    return s;
  }

  /** The live handle of a flavour, or undefined. */
  handle(state: RefState, flavour: Flavour): object | undefined {
    return state[flavour]?.deref();
  }

  /** Attach a new handle of a flavour to a state. */
  attach(state: RefState, flavour: Flavour, handle: object): void {
    state[flavour] = new WeakRef(handle);
    if (!state.released) registry.register(handle, { owner: this, state, flavour }, state);
  }

  /**
   * Release every ref whose handles have all been garbage-collected, without waiting for the
   * FinalizationRegistry. Runs by itself when the cache doubles; returns how many refs it released.
   */
  sweep(): number {
    let swept = 0;
    for (const s of this.states.values()) {
      const a = s.asyncHandle;
      const y = s.syncHandle;
      if ((a || y) && a?.deref() === undefined && y?.deref() === undefined) {
        s.asyncHandle = s.syncHandle = undefined;
        this.release(s, false);
        swept++;
      }
    }
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.states.size);
    return swept;
  }

  /** @internal The registry saw a handle of `state` collected. */
  collected(state: RefState, flavour: Flavour): void {
    const ref = state[flavour];
    if (ref && ref.deref() !== undefined) return; // a newer handle of this flavour lives
    state[flavour] = undefined;
    if (state.asyncHandle?.deref() || state.syncHandle?.deref()) return;
    this.release(state, false);
  }

  /** Release a ref now (dispose) or from GC; idempotent. */
  release(state: RefState, immediate: boolean): void {
    if (state.released) return;
    state.released = true;
    registry.unregister(state);
    if (this.states.get(state.id) === state) this.states.delete(state.id);
    this.queue.push(state.id, state.count);
    if (immediate) this.flush();
    else this.scheduleFlush();
  }

  /**
   * Return one receipt of `id` that never became a handle (a reply nobody waits for any more,
   * a deferred result nobody asked for). Not a release of the ref: a handle of it may live.
   */
  returnReceipt(id: number): void {
    // Main counted this send; the renderer never turned it into a handle, so hand it back as is.
    this.queue.push(id, 1);
    this.scheduleFlush();
  }

  private readonly flushLater = (): void => this.flush();

  /** Send the queued releases after `delayMs` (one timer, however many are queued). */
  private scheduleFlush(): void {
    this.timer ??= setTimeout(this.flushLater, this.delayMs);
  }

  /** Send queued releases now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const pairs = this.queue;
    this.queue = [];
    this.sendRelease(pairs);
  }

  /** Forget everything (the connection closed; main dropped it all). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.cleared = true;
    for (const s of this.states.values()) {
      s.released = true;
      registry.unregister(s);
    }
    this.states.clear();
  }
}
