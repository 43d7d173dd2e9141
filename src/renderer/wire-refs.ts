/**
 * The refs a value from main carries, read straight off the wire without decoding it: for
 * results nobody will decode (a reply to a call that already settled, stream values after an
 * unsubscribe, pipelined intermediates nobody asked for), whose refs main counted as sent and
 * must get back.
 * @packageDocumentation
 */

/**
 * Collect the ref ids a wire value carries (one per receipt) into `ids`; returns true if it also
 * holds a promise (`p`), which must be decoded on arrival.
 */
export function refsOf(w: unknown, ids: number[]): boolean {
  if (!Array.isArray(w)) return false;
  const tag = w[0];
  if (tag === 'r') {
    if (typeof w[1] === 'number') ids.push(w[1]);
    return false;
  }
  let promise = tag === 'p';
  for (let i = 1; i < w.length; i++) if (refsOf(w[i], ids)) promise = true;
  return promise;
}
