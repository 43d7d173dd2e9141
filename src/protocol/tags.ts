/**
 * The tagged-value layout: the one module that knows the wire's tag letters, how each tagged
 * value is laid out, and how to build and read the reference tags (`r`, `h`, `c`, `p`). The
 * encoder, the decoder, the ref walker and both sides' hosts use these names instead of the
 * letters, so a layout change is made here.
 *
 * A wire value is JSON-shaped and structured-clone-safe: `null`, booleans, finite numbers
 * and strings travel as themselves; everything else is an array whose first element is a
 * one-letter tag. Containers (`a` array, `o` object, `m` Map, `s` Set) are numbered in the
 * order they are first met, so a later `['#', n]` points back at container `n`: cycles and
 * shared subtrees survive the trip.
 *
 * | tag | value | layout |
 * |-----|-------|--------|
 * | `u` | undefined | `['u']` |
 * | `n` | NaN, ±Infinity, -0 | `['n', 'NaN' \| 'Infinity' \| '-Infinity' \| '-0']` |
 * | `b` | BigInt | `['b', '123']` |
 * | `a` | array | `['a', ...items]` |
 * | `o` | plain object | `['o', k1, v1, k2, v2, ...]` |
 * | `#` | back-reference | `['#', containerIndex]` |
 * | `d` | Date | `['d', ms \| 'NaN']` |
 * | `m` | Map | `['m', k1, v1, ...]` |
 * | `s` | Set | `['s', ...items]` |
 * | `t` | typed array, Buffer, ArrayBuffer | `['t', typeName, data]` (data: the view, or base64) |
 * | `e` | Error | `['e', name, message, stack, code, props]` |
 * | `g` | RegExp | `['g', source, flags]` |
 * | `z` | plain object without a prototype | `['z', k1, v1, ...]` (a container, like `o`) |
 * | `r` | main object by reference | `['r', refId, kind, methods?, ownKeys?, protoLevels?]` |
 * | `h` | a main object handed back | `['h', refId]` |
 * | `c` | a renderer callback | `['c', callbackId, length?]` |
 * | `p` | a promise settled later | `['p', replyId]` |
 *
 * @packageDocumentation
 */

/** A value on the wire. */
export type Wire = null | boolean | number | string | WireTagged;
/** A tagged wire value: `[tag, ...payload]`. */
export type WireTagged = [string, ...unknown[]];

/** Kinds of by-reference values: object, function (callable and constructible), observable. */
export type RefKind = 'o' | 'f' | 'x';

/** The tag letters, by name. */
export const Tag = {
  /** `['u']`: undefined. */
  undefined: 'u',
  /** `['n', text]`: NaN, ±Infinity, -0. */
  number: 'n',
  /** `['b', digits]`: a BigInt. */
  bigint: 'b',
  /** `['a', ...items]`: an array (a container). */
  array: 'a',
  /** `['o', k, v, ...]`: a plain object (a container). */
  object: 'o',
  /** `['#', index]`: a container met earlier in the same value. */
  backRef: '#',
  /** `['d', ms | 'NaN']`: a Date. */
  date: 'd',
  /** `['m', k, v, ...]`: a Map (a container). */
  map: 'm',
  /** `['s', ...items]`: a Set (a container). */
  set: 's',
  /** `['t', typeName, data]`: binary data. */
  binary: 't',
  /** `['e', name, message, stack, code, props]`: an Error. */
  error: 'e',
  /** `['g', source, flags]`: a RegExp (copied, as Electron's `remote` copied it). */
  regexp: 'g',
  /** `['z', k, v, ...]`: a plain object whose prototype is null (a container). */
  bareObject: 'z',
  /** `['r', refId, kind, methods?]`: a main object sent by reference. */
  ref: 'r',
  /** `['h', refId]`: a main object handed back by a renderer. */
  handle: 'h',
  /** `['c', callbackId]`: a renderer callback. */
  callback: 'c',
  /** `['p', replyId]`: a promise main settles later with an `ok`/`fail` frame of that id. */
  promise: 'p',
} as const;

/** A tag letter. */
export type TagLetter = (typeof Tag)[keyof typeof Tag];

/** The tags that carry an id the receiving side resolves (`r`, `h`, `c`, `p`). */
export type ReferenceTag = typeof Tag.ref | typeof Tag.handle | typeof Tag.callback | typeof Tag.promise;

/** True for the reference tags (`r`, `h`, `c`, `p`). */
export function isReferenceTag(tag: unknown): tag is ReferenceTag {
  return tag === Tag.ref || tag === Tag.handle || tag === Tag.callback || tag === Tag.promise;
}

/** The tag of a wire value, or undefined for a primitive or anything that is not a tagged array. */
export function tagOf(w: unknown): string | undefined {
  return Array.isArray(w) && typeof w[0] === 'string' ? w[0] : undefined;
}

// ---------------------------------------------------------------- builders

/** `['r', id, kind, methods?]`: a main object by reference (methods: names the handle may call). */
export function refTag(id: number, kind: RefKind, methods?: string[], shape: readonly unknown[] = []): WireTagged {
  if (methods === undefined) return [Tag.ref, id, kind];
  return shape.length === 0 ? [Tag.ref, id, kind, methods] : [Tag.ref, id, kind, methods, ...shape];
}

/** `['h', id]`: a main object's handle passed back to main. */
export function handleTag(id: number): WireTagged {
  return [Tag.handle, id];
}

/** `['c', id, length?]`: a renderer callback (length: its declared arity, when not 0). */
export function callbackTag(id: number, length = 0): WireTagged {
  return length > 0 ? [Tag.callback, id, length] : [Tag.callback, id];
}

/** `['p', id]`: a promise settled later by an `ok`/`fail` frame with this id. */
export function promiseTag(id: number): WireTagged {
  return [Tag.promise, id];
}

/** `['#', index]`: a back-reference to the container numbered `index`. */
export function backRefTag(index: number): WireTagged {
  return [Tag.backRef, index];
}

// ---------------------------------------------------------------- readers

/** What an `r` tag says. */
export interface RefTagInfo {
  /** The ref id. */
  id: number;
  /** Its kind (`o` when the tag leaves it out). */
  kind: RefKind;
  /** The method names, when main listed them. */
  methods: string[] | undefined;
  /** Own enumerable member names, when main listed them (for reflection: `Object.keys`, `in`). */
  ownKeys: string[] | undefined;
  /** Method names per prototype level, when main listed them (for `Object.getPrototypeOf`). */
  protoLevels: string[][] | undefined;
}

/**
 * Read an `r` tag (the id must already be known valid, as the decoder checks before it asks
 * its host). Lenient like the renderer always was: a missing kind reads as `o`.
 */
export function readRefTag(w: WireTagged): RefTagInfo {
  return { id: w[1] as number, kind: (w[2] as RefKind) ?? 'o', methods: w[3] as string[] | undefined, ownKeys: w[4] as string[] | undefined, protoLevels: w[5] as string[][] | undefined };
}

/** The id of a reference tag (`r`, `h`, `c`, `p`) when it is a safe integer, else undefined. */
export function referenceIdOf(w: WireTagged): number | undefined {
  const id = w[1];
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}
