/**
 * Renderer-side lifetime of remote objects.
 *
 * One {@link RefState} per ref id the renderer holds; it counts how many times main sent the
 * ref, and keeps at most one async handle and one sync handle for it, weakly (so one remote
 * object has one handle of each flavour). When every handle of a ref has been
 * garbage-collected, a FinalizationRegistry queues `[id, count]` and the queue goes to main as
 * one batched `release` frame. Disposing a handle (`handle[Symbol.dispose]()`) releases at
 * once and makes the handle unusable.
 * @packageDocumentation
 */
import type { RefKind } from '../protocol/codec.js';

/** The renderer's record of one ref. */
export interface RefState {
  readonly id: number;
  readonly kind: RefKind;
  /** Method names (for sync handles: one round trip per method call). */
  methods: ReadonlySet<string>;
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

/** The ref cache of one connection. */
export class Lifetime {
  private readonly states = new Map<number, RefState>();
  private readonly registry = new FinalizationRegistry<{ state: RefState; flavour: Flavour }>((held) => this.collected(held.state, held.flavour));
  private queue: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

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
  received(id: number, kind: RefKind, methods: readonly string[] | undefined): RefState {
    let s = this.states.get(id);
    if (s && !s.released) {
      s.count++;
      if (methods && methods.length !== s.methods.size) s.methods = methodSet(methods);
      return s;
    }
    s = { id, kind, methods: methodSet(methods), count: 1, asyncHandle: undefined, syncHandle: undefined, released: false };
    this.states.set(id, s);
    return s;
  }

  /** The live handle of a flavour, or undefined. */
  handle(state: RefState, flavour: Flavour): object | undefined {
    return state[flavour]?.deref();
  }

  /** Attach a new handle of a flavour to a state. */
  attach(state: RefState, flavour: Flavour, handle: object): void {
    state[flavour] = new WeakRef(handle);
    this.registry.register(handle, { state, flavour }, handle);
  }

  private collected(state: RefState, flavour: Flavour): void {
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
    for (const f of ['asyncHandle', 'syncHandle'] as const) {
      const h = state[f]?.deref();
      if (h) this.registry.unregister(h);
    }
    if (this.states.get(state.id) === state) this.states.delete(state.id);
    this.queue.push(state.id, state.count);
    if (immediate) this.flush();
    else this.scheduleFlush();
  }

  /** Release one receipt of `id` without making a handle (a reply nobody waits for any more). */
  releaseOrphan(id: number): void {
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
    for (const s of this.states.values()) s.released = true;
    this.states.clear();
  }
}
