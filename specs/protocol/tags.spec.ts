import { describe, expect, it } from 'vitest';
import { RemoraError } from '../../src/errors.js';
import { decode, encode, type DecodeHost, type EncodeHost } from '../../src/protocol/codec.js';
import {
  backRefTag, callbackTag, handleTag, isReferenceTag, promiseTag, readRefTag, referenceIdOf, refTag, Tag, tagOf, type WireTagged,
} from '../../src/protocol/tags.js';

/** A decode host that records which reference tags reached it. */
function recorder(): DecodeHost & { seen: WireTagged[] } {
  const seen: WireTagged[] = [];
  return { seen, reference: (_tag, w) => (seen.push(w), `resolved:${w[0]}:${String(w[1])}`) };
}

describe('tagged-value layout', () => {
  it('builds each reference tag in its documented layout', () => {
    expect(refTag(3, 'f', ['a', 'b'])).toEqual(['r', 3, 'f', ['a', 'b']]);
    expect(refTag(3, 'o')).toEqual(['r', 3, 'o']);
    expect(handleTag(4)).toEqual(['h', 4]);
    expect(callbackTag(5)).toEqual(['c', 5]);
    expect(promiseTag(-6)).toEqual(['p', -6]);
    expect(backRefTag(0)).toEqual(['#', 0]);
  });

  it('reads an r tag back, with kind o when the tag leaves it out', () => {
    expect(readRefTag(refTag(7, 'x', ['subscribe']))).toEqual({ id: 7, kind: 'x', methods: ['subscribe'] });
    expect(readRefTag(['r', 7])).toEqual({ id: 7, kind: 'o', methods: undefined });
  });

  it('names exactly r, h, c and p as reference tags', () => {
    const refs = Object.values(Tag).filter(isReferenceTag).sort();
    expect(refs).toEqual(['c', 'h', 'p', 'r']);
    expect(isReferenceTag('a')).toBe(false);
    expect(isReferenceTag(undefined)).toBe(false);
  });

  it('reads the tag of a tagged array and nothing else', () => {
    expect(tagOf(['o', 'k', 1])).toBe('o');
    expect(tagOf('o')).toBeUndefined();
    expect(tagOf([1, 2])).toBeUndefined();
    expect(tagOf(null)).toBeUndefined();
  });

  it('reads a reference id only when it is a safe integer', () => {
    expect(referenceIdOf(['r', 9])).toBe(9);
    expect(referenceIdOf(['p', -2])).toBe(-2);
    expect(referenceIdOf(['r', 1.5])).toBeUndefined();
    expect(referenceIdOf(['r', '1'])).toBeUndefined();
  });

  it('hands every built reference tag to the decode host untouched', () => {
    const host = recorder();
    const built = [refTag(1, 'o'), handleTag(2), callbackTag(3), promiseTag(4)];
    expect(decode([Tag.array, ...built], host)).toEqual(['resolved:r:1', 'resolved:h:2', 'resolved:c:3', 'resolved:p:4']);
    expect(host.seen).toEqual(built);
  });

  it('gives the encoder the same letters it documents', () => {
    const host: EncodeHost = { plainWithFunctions: 'copy', binary: 'clone', byReference: () => refTag(1, 'o') };
    const w = encode([undefined, 1n, new Date(0), new Map(), new Set(), { a: 1 }, new Error('x')], host) as WireTagged;
    expect((w.slice(1) as WireTagged[]).map((x) => x[0])).toEqual([Tag.undefined, Tag.bigint, Tag.date, Tag.map, Tag.set, Tag.object, Tag.error]);
    expect(w[0]).toBe(Tag.array);
  });

  it('refuses a reference tag whose id is not a safe integer before the host sees it', () => {
    const host = recorder();
    expect(() => decode(['r', 'x'], host)).toThrow(RemoraError);
    expect(host.seen).toEqual([]);
  });
});
