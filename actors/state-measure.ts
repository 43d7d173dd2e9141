/**
 * Measuring the wire: how many bytes a state, or one update of it, costs as remora's codec
 * puts it in a stream `next` frame. For choosing between patches and snapshots, and for the
 * benchmarks; nothing here runs on the path of a dispatch.
 * @packageDocumentation
 */
import type { Draft, Patch } from 'immer';
import * as errors from '../src/errors/factories.js';
import { encode, type EncodeHost } from '../src/protocol/codec.js';
import { stateImmer } from './state-immer.js';

const measureHost: EncodeHost = {
  plainWithFunctions: 'ref',
  binary: 'base64',
  byReference: () => {
    throw errors.of('E_BAD_VALUE', 'State must be plain data (objects, arrays, Map, Set, primitives, Date).');
  },
};

const utf8 = new TextEncoder();

/** Bytes of `value` as remora's codec puts it on the wire, serialized as JSON (UTF-8). */
export function wireBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(encode(value, measureHost))).byteLength;
}

/** Bytes of a stream `next` frame carrying `value`, as a session sends it (JSON, UTF-8). */
export function nextFrameBytes(value: unknown): number {
  return utf8.encode(JSON.stringify({ t: 'next', id: 1, v: [encode(value, measureHost)] })).byteLength;
}

/** What {@link measureUpdate} reports. */
export interface UpdateBytes {
  /** Bytes of the `next` frame carrying the patch update. */
  readonly patchBytes: number;
  /** Bytes of the `next` frame carrying a full snapshot of the new state. */
  readonly snapshotBytes: number;
  /** The patches the recipe produced. */
  readonly patches: Patch[];
  /** The new state. */
  readonly next: unknown;
}

/**
 * Bytes on the wire for one update, as patches and as a full snapshot: runs `recipe` on
 * `state` with immer and encodes both `next` frames the way a session would.
 * @example
 * ```ts
 * const big = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, done: false })) };
 * const { patchBytes, snapshotBytes } = measureUpdate(big, (d) => { d.items[5000].done = true });
 * ```
 */
export function measureUpdate<S>(state: S, recipe: (draft: Draft<S>) => unknown): UpdateBytes {
  const [next, patches] = stateImmer.produceWithPatches(state, (d: Draft<S>) => recipe(d) as never);
  const patchBytes = nextFrameBytes({ from: 0, version: 1, patches });
  const snapshotBytes = nextFrameBytes({ version: 1, snapshot: next });
  return { patchBytes, snapshotBytes, patches, next };
}
