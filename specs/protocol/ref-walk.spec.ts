import { describe, expect, it } from 'vitest';
import { encode, type EncodeHost } from '../../src/protocol/codec.js';
import { refsOf } from '../../src/protocol/ref-walk.js';
import { promiseTag, refTag } from '../../src/protocol/tags.js';

/** An encode host that hands out refs 1, 2, 3, ... and promises -1, -2, ... */
function issuing(): EncodeHost & { issued: number[] } {
  const issued: number[] = [];
  let next = 1;
  let nextPromise = -1;
  return {
    issued,
    plainWithFunctions: 'ref',
    binary: 'clone',
    byReference: () => {
      const id = next++;
      issued.push(id);
      return refTag(id, 'o');
    },
    promise: () => promiseTag(nextPromise--),
  };
}

describe('ref walker', () => {
  it('finds every ref an encoding issued, in order, once per receipt', () => {
    const host = issuing();
    const fn = () => 1;
    const w = encode({ a: [fn, new Map([[fn, { deep: [fn] }]])], s: new Set([class {}]), e: Object.assign(new Error('x'), { by: fn }) }, host);
    const ids: number[] = [];
    expect(refsOf(w, ids)).toBe(false);
    expect(ids).toEqual(host.issued);
    expect(ids.length).toBeGreaterThan(3);
  });

  it('reports a promise anywhere in the value', () => {
    const host = issuing();
    const ids: number[] = [];
    expect(refsOf(encode({ x: [1, { p: Promise.resolve(1) }] }, host), ids)).toBe(true);
    expect(ids).toEqual([]);
  });

  it('does not look inside a ref tag (its method list is not a value)', () => {
    const ids: number[] = [];
    refsOf(['a', ['r', 1, 'o', ['r', 'x']], ['r', 2, 'f']], ids);
    expect(ids).toEqual([1, 2]);
  });

  it('finds nothing in primitives, binary data or other tags', () => {
    const ids: number[] = [];
    for (const w of [null, 1, 'r', ['u'], ['n', 'NaN'], ['t', 'Uint8Array', new Uint8Array([1])], ['h', 3], ['c', 4], ['#', 0]]) {
      expect(refsOf(w, ids)).toBe(false);
    }
    expect(ids).toEqual([]);
  });
});
