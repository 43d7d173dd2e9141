import { describe, expect, it } from 'vitest';
import { Observable } from 'rxjs';
import { isBareWire, isObjectLike, isPlainArray, isPlainObject, isThenable, refKindOf } from '../../src/protocol/classify.js';

describe('value classifiers', () => {
  it('calls an object plain only when its prototype is Object.prototype or null', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new (class {})())).toBe(false);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainArray([])).toBe(true);
    expect(isPlainArray(new (class extends Array {})())).toBe(false);
  });

  it('recognises thenables of any origin, and nothing without a callable then', () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    expect(isThenable({ then: () => undefined })).toBe(true);
    expect(isThenable(Object.assign(() => undefined, { then: () => undefined }))).toBe(true);
    expect(isThenable({ then: 1 })).toBe(false);
    expect(isThenable(null)).toBe(false);
    expect(isThenable('then')).toBe(false);
  });

  it('tells the kind a by-reference value travels as', () => {
    expect(refKindOf(() => 1)).toBe('f');
    expect(refKindOf(new Observable())).toBe('x');
    expect(refKindOf({ subscribe: () => 1 })).toBe('o');
    expect(refKindOf({})).toBe('o');
  });

  it('lets only strings, booleans, null and ordinary finite numbers travel bare', () => {
    for (const v of ['', true, null, 0, 1.5]) expect(isBareWire(v)).toBe(true);
    for (const v of [undefined, -0, NaN, Infinity, 1n, {}, []]) expect(isBareWire(v)).toBe(false);
    expect(isObjectLike(() => 1)).toBe(true);
    expect(isObjectLike(null)).toBe(false);
  });
});
