/**
 * What a frame costs on the wire, measured cheaply before it is queued: the outboxes bound
 * their messages by it, so no message ever grows past what a transport can serialize (a
 * WebSocket's `JSON.stringify` throws past V8's string limit). The figure approximates the
 * length of the frame's JSON text (binary counts its bytes); the walk stops as soon as it
 * passes `budget`, so measuring a huge value costs no more than the bound it is checked
 * against.
 * @packageDocumentation
 */

/** Nesting walked by recursion; deeper values continue on an explicit stack (no stack overflow). */
const MAX_DEPTH = 24;

/** The bytes of a binary value (a view or a buffer), or undefined for anything else. */
function binaryBytes(x: object): number | undefined {
  if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && x instanceof SharedArrayBuffer)) return (x as { byteLength: number }).byteLength;
  return undefined;
}

/** Approximate JSON length of `v` (binary: its bytes), or some figure over `budget` once it passes it. */
export function wireSize(v: unknown, budget = Number.POSITIVE_INFINITY): number {
  return sizeOf(v, budget, 0);
}

/**
 * One value, recursively: a frame is a few levels of small arrays and objects, so this
 * allocates nothing (no work list, no key array) on the path every reply and call takes.
 */
function sizeOf(x: unknown, budget: number, depth: number): number {
  switch (typeof x) {
    case 'string':
      return x.length + 2;
    case 'number':
      return Number.isInteger(x) && x > -1e6 && x < 1e6 ? 7 : 24;
    case 'boolean':
      return 5;
    case 'object':
      if (x === null) return 4;
      if (depth >= MAX_DEPTH) return stackSize(x, budget);
      if (Array.isArray(x)) {
        let n = 2 + x.length;
        for (let i = 0; i < x.length && n <= budget; i++) n += sizeOf(x[i], budget - n, depth + 1);
        return n;
      }
      {
        const bytes = binaryBytes(x);
        if (bytes !== undefined) return bytes + 16;
        let n = 2;
        // for-in over a frame or plain object: no key array (an inherited enumerable key only
        // over-counts, which keeps the bound safe).
        for (const k in x) {
          n += k.length + 4 + sizeOf((x as Record<string, unknown>)[k], budget - n, depth + 1);
          if (n > budget) return n;
        }
        return n;
      }
    default:
      return 4;
  }
}

/** The same measure with a work list, for values nested past {@link MAX_DEPTH}. */
function stackSize(v: object, budget: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'object' && x !== null) {
      const bytes = binaryBytes(x);
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) stack.push(x[i]);
        n += 2 + x.length;
      } else if (bytes !== undefined) {
        n += bytes + 16;
      } else {
        n += 2;
        for (const k in x) {
          n += k.length + 4;
          stack.push((x as Record<string, unknown>)[k]);
        }
      }
    } else {
      n += sizeOf(x, budget - n, 0);
    }
    if (n > budget) return n;
  }
  return n;
}
