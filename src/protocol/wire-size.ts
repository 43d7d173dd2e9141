/**
 * What a frame costs on the wire, measured cheaply before it is queued: the outboxes bound
 * their messages by it, so no message ever grows past what a transport can serialize (a
 * WebSocket's `JSON.stringify` throws past V8's string limit). The figure approximates the
 * length of the frame's JSON text (binary counts its bytes); the walk stops as soon as it
 * passes `budget`, so measuring a huge value costs no more than the bound it is checked
 * against.
 * @packageDocumentation
 */

/** Approximate JSON length of `v` (binary: its bytes), or some figure over `budget` once it passes it. */
export function wireSize(v: unknown, budget = Number.POSITIVE_INFINITY): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    switch (typeof x) {
      case 'string':
        n += x.length + 2;
        break;
      case 'number':
        n += Number.isInteger(x) && x > -1e6 && x < 1e6 ? 7 : 24;
        break;
      case 'boolean':
        n += 5;
        break;
      case 'object':
        n += objectSize(x, stack);
        break;
      default:
        n += 4;
    }
    if (n > budget) return n;
  }
  return n;
}

function objectSize(x: object | null, stack: unknown[]): number {
  if (x === null) return 4;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) stack.push(x[i]);
    return 2 + x.length;
  }
  if (ArrayBuffer.isView(x)) return x.byteLength + 16;
  if (x instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && x instanceof SharedArrayBuffer)) return x.byteLength + 16;
  let n = 2;
  for (const k of Object.keys(x)) {
    n += k.length + 4;
    stack.push((x as Record<string, unknown>)[k]);
  }
  return n;
}
