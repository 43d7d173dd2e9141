/**
 * Shared pieces of the reliability specs: the main-side APIs they expose, a raw main-side
 * transport that records everything main sends (so specs can inject arbitrary frames and
 * check every answer), and helpers to read answers.
 */
import { EventEmitter } from 'node:events';
import { Subject, Observable, of } from 'rxjs';
import { isErrorCode, isRemoraError } from '../../src/errors.js';
import { decode, toCallerError, type WireTagged } from '../../src/protocol/index.js';
import type { CloseReason, Transport } from '../../src/transport.js';

/** A counter class renderers construct and call. */
export class Counter {
  n: number;
  constructor(start = 0) {
    this.n = typeof start === 'number' ? start : 0;
  }
  inc(by = 1): number {
    return (this.n += by);
  }
}

/**
 * The playground a fuzzing renderer pokes at: mutable state, an emitter, an Observable,
 * methods that throw, echo, call back and return objects by reference. Nothing in it takes
 * argument-controlled time.
 */
export function makePlayground() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const playground = {
    state: { n: 0, label: 'x', nested: { deep: { value: 1 } } },
    list: [1, 2, 3],
    add: (a: number, b: number) => a + b,
    echo: <T>(v: T) => v,
    asyncEcho: async <T>(v: T) => v,
    concat: (a: string, b: string) => a.concat(b),
    makeCounter: (start: number) => new Counter(start),
    Counter,
    emitter,
    emit: (event: string, v: unknown) => emitter.emit(String(event), v),
    ticks: () => of(1, 2, 3),
    boom(): never {
      throw Object.assign(new Error('kaboom'), { code: 'EBOOM' });
    },
    rejects: async (): Promise<never> => {
      throw new TypeError('async kaboom');
    },
    callMeBack(fn: (v: unknown) => void, v: unknown) {
      if (typeof fn === 'function') fn(v);
      return 'called';
    },
  };
  // The spec fires events on this emitter; fuzzed `set` frames may overwrite any other data
  // property (renderers may assign existing data properties), but not this one.
  Object.defineProperty(playground, 'emitter', { writable: false });
  return playground;
}
/** Type of {@link makePlayground}. */
export type Playground = ReturnType<typeof makePlayground>;

/** A frozen, stateless module the well-behaved renderer uses (fuzzers may call it too). */
export function makeCalc() {
  return Object.freeze({
    add: (a: number, b: number) => a + b,
    mul: (a: number, b: number) => a * b,
    echo: <T>(v: T) => v,
    makeCounter: (start: number) => new Counter(start),
    /** A fresh Observable per call: `n` values then complete. */
    range: (n: number) => new Observable<number>((s) => {
      for (let i = 0; i < n; i++) s.next(i);
      s.complete();
    }),
  });
}
/** Type of {@link makeCalc}. */
export type Calc = ReturnType<typeof makeCalc>;

/** A main-side transport fed by hand, recording every frame main sends (batches split). */
export interface RawTransport {
  readonly transport: Transport;
  /** Deliver a message to main (structured-cloned first, as a real boundary would). */
  inject(message: unknown): void;
  /** Every frame main sent, in order (async and sync replies alike). */
  readonly sent: Record<string, unknown>[];
  readonly isClosed: boolean;
}

/** Create a {@link RawTransport}. `clone: false` skips the structured clone of injected messages. */
export function rawTransport(options: { clone?: boolean } = {}): RawTransport {
  const clone = options.clone ?? true;
  const inbox = new Subject<unknown>();
  const closed = new Subject<CloseReason>();
  const sent: Record<string, unknown>[] = [];
  let isClosed = false;
  const record = (m: unknown): void => {
    if (isClosed) return;
    // Everything main sends must be able to cross a real boundary.
    const copy = structuredClone(m) as Record<string, unknown>;
    if (copy && copy.t === 'batch') sent.push(...(copy.f as Record<string, unknown>[]));
    else sent.push(copy);
  };
  const end = (reason: CloseReason): void => {
    if (isClosed) return;
    isClosed = true;
    closed.next(reason);
    closed.complete();
    inbox.complete();
  };
  const transport: Transport = {
    send: record,
    replySync: record,
    messages$: inbox.asObservable(),
    closed$: closed.asObservable(),
    close: (reason = { kind: 'closed' }) => end(reason),
  };
  return {
    transport,
    inject: (m) => {
      if (!isClosed) inbox.next(clone ? structuredClone(m) : m);
    },
    sent,
    get isClosed() {
      return isClosed;
    },
  };
}

const placeholderHost = {
  reference: (tag: string, w: WireTagged) => ({ tag, id: w[1] }),
};

/** Decode the error of a `fail` frame as the renderer would see it. */
export function failError(frame: Record<string, unknown>): Error {
  return toCallerError(decode(frame.e, placeholderHost));
}

/** True when `e` is a RemoraError whose remora code is one of remora's stable codes. */
export function isTypedError(e: unknown): boolean {
  return isRemoraError(e) && isErrorCode(e.remoraCode);
}

/** Let queued microtasks and one macrotask run. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
