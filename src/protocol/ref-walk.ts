/**
 * The one walk over a wire value for the refs it carries. Refs are counted per receipt on
 * main, so whoever drops an encoded value without decoding it (a stream value never sent, an
 * orphan reply, a deferred result nobody asked for) must give each `r` back; they all find
 * them here.
 * @packageDocumentation
 */
import { Tag } from './tags.js';

/**
 * Collect the ref ids a wire value carries (one per `r` tag, in order) into `ids`; returns
 * true when the value also holds a promise (`p`), which must be decoded on arrival.
 * Only tagged arrays are walked: primitives, binary payloads and strings hold no refs.
 */
export function refsOf(w: unknown, ids: number[]): boolean {
  if (!Array.isArray(w)) return false;
  const tag = w[0];
  if (tag === Tag.ref) {
    if (typeof w[1] === 'number') ids.push(w[1]);
    return false;
  }
  let promise = tag === Tag.promise;
  for (let i = 1; i < w.length; i++) if (refsOf(w[i], ids)) promise = true;
  return promise;
}
