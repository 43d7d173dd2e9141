/**
 * The main-side API every benchmark case talks to, and its type for the renderer workers.
 * The same functions back every library (remora, Comlink, birpc, the raw echoes), so the
 * cases compare the transports and dispatchers, not the work done.
 */
import { EventEmitter } from 'node:events';
import { transfer } from '../src/main/index.js';

/** One link of a chain: `next()` returns the following link (for the pipelining case). */
export class Link {
  constructor(readonly n: number) {}
  /** The following link. */
  next(): Link {
    return new Link(this.n + 1);
  }
  /** This link's position. */
  value(): number {
    return this.n;
  }
}

/** A plain object main hands out by reference (for the lifetime case). */
export class Item {
  constructor(readonly i: number) {}
  /** Its index. */
  index(): number {
    return this.i;
  }
}

/** Build the bench API (one instance per broker or peer library). */
export function makeBenchApi() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    add: (a: number, b: number): number => a + b,
    /** Returns its argument (the payload case sends strings, objects and ArrayBuffers through it). */
    echo: <T>(v: T): T => v,
    /** Returns the ArrayBuffer it got, moved back with remora's `transfer()` (the transfer case). */
    echoMoved: (v: ArrayBuffer): ArrayBuffer => transfer(v, [v]),
    link: (n: number): Link => new Link(n),
    /** `count` fresh objects, each sent by reference. */
    items: (count: number): Item[] => {
      const out = new Array<Item>(count);
      for (let i = 0; i < count; i++) out[i] = new Item(i);
      return out;
    },
    emitter,
  };
}

/** The bench API's type, shared with the renderer workers. */
export type BenchApi = ReturnType<typeof makeBenchApi>;
