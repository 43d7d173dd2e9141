import { describe, expect, it } from 'vitest';
import { RemoraError } from '../../src/errors.js';
import {
  decode, decodeArgs, encode, encodeArgs, fromBase64, toBase64,
  type BinaryMode, type DecodeHost, type EncodeHost, type Wire,
} from '../../src/protocol/codec.js';

/** An encode host that refuses references: everything in these specs travels by copy. */
function host(binary: BinaryMode = 'clone'): EncodeHost {
  return {
    plainWithFunctions: 'copy',
    binary,
    byReference: (v) => {
      throw new RemoraError('E_BAD_VALUE', `unexpected by-reference value ${String(v)}`);
    },
  };
}

const noRefs: DecodeHost = {
  reference: (tag) => {
    throw new RemoraError('E_PROTOCOL', `tag ${tag} not valid here`);
  },
};

/** Encode, cross a real structured-clone boundary (or JSON for base64 mode), decode. */
function trip<T>(v: T, binary: BinaryMode = 'clone'): T {
  const wire = encode(v, host(binary));
  const carried = binary === 'base64' ? JSON.parse(JSON.stringify(wire)) : structuredClone(wire);
  return decode(carried, noRefs) as T;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as RemoraError).code;
  }
  return undefined;
}

describe('value codec', () => {
  describe.each(['clone', 'base64'] as const)('in %s mode', (mode) => {
    it('round-trips primitives', () => {
      for (const v of [0, 1, -1, 3.5, Number.MAX_SAFE_INTEGER, '', 'héllo ✓', true, false, null]) {
        expect(trip(v, mode)).toBe(v);
      }
    });

    it('round-trips undefined, NaN, -0 and ±Infinity exactly', () => {
      expect(trip(undefined, mode)).toBeUndefined();
      expect(Number.isNaN(trip(NaN, mode))).toBe(true);
      expect(Object.is(trip(-0, mode), -0)).toBe(true);
      expect(Object.is(trip(0, mode), 0)).toBe(true);
      expect(trip(Infinity, mode)).toBe(Infinity);
      expect(trip(-Infinity, mode)).toBe(-Infinity);
      const arr = trip([undefined, NaN, -0, Infinity, -Infinity], mode);
      expect(arr).toHaveLength(5);
      expect(arr[0]).toBeUndefined();
      expect(0 in arr).toBe(true);
      expect(Number.isNaN(arr[1])).toBe(true);
      expect(Object.is(arr[2], -0)).toBe(true);
      expect(arr.slice(3)).toEqual([Infinity, -Infinity]);
    });

    it('keeps object properties whose value is undefined', () => {
      const o = trip({ a: undefined, b: 1 }, mode);
      expect('a' in o).toBe(true);
      expect(o).toEqual({ a: undefined, b: 1 });
    });

    it('round-trips BigInt, including huge and negative values', () => {
      expect(trip(0n, mode)).toBe(0n);
      expect(trip(-42n, mode)).toBe(-42n);
      const huge = 2n ** 200n + 7n;
      expect(trip(huge, mode)).toBe(huge);
    });

    it('round-trips Dates, including an invalid Date', () => {
      const d = new Date('2024-02-29T12:34:56.789Z');
      const back = trip(d, mode);
      expect(back).toBeInstanceOf(Date);
      expect(back.getTime()).toBe(d.getTime());
      const invalid = trip(new Date(NaN), mode);
      expect(invalid).toBeInstanceOf(Date);
      expect(Number.isNaN(invalid.getTime())).toBe(true);
    });

    it('round-trips Map and Set with non-string keys and nested values', () => {
      const m = new Map<unknown, unknown>([[1, 'one'], ['k', { deep: [1n] }], [null, new Set([1, 'x'])]]);
      const back = trip(m, mode);
      expect(back).toBeInstanceOf(Map);
      expect([...back.keys()]).toEqual([1, 'k', null]);
      expect(back.get('k')).toEqual({ deep: [1n] });
      expect(back.get(null)).toEqual(new Set([1, 'x']));
      const s = trip(new Set([undefined, NaN, 'a']), mode);
      expect(s).toBeInstanceOf(Set);
      expect(s.size).toBe(3);
      expect(s.has(NaN)).toBe(true);
      expect(s.has(undefined)).toBe(true);
    });

    it.each([
      ['Int8Array', new Int8Array([-128, 0, 127])],
      ['Uint8Array', new Uint8Array([0, 1, 255])],
      ['Uint8ClampedArray', new Uint8ClampedArray([0, 128, 255])],
      ['Int16Array', new Int16Array([-32768, 1, 32767])],
      ['Uint16Array', new Uint16Array([0, 1, 65535])],
      ['Int32Array', new Int32Array([-(2 ** 31), 1, 2 ** 31 - 1])],
      ['Uint32Array', new Uint32Array([0, 1, 2 ** 32 - 1])],
      ['Float32Array', new Float32Array([1.5, -0, Infinity])],
      ['Float64Array', new Float64Array([Math.PI, NaN, -Infinity])],
      ['BigInt64Array', new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n])],
      ['BigUint64Array', new BigUint64Array([0n, 2n ** 64n - 1n])],
    ] as const)('round-trips a %s with its type and contents', (name, arr) => {
      const back = trip(arr, mode) as ArrayBufferView & ArrayLike<unknown>;
      expect(back.constructor.name).toBe(name);
      expect(Array.from(back as ArrayLike<number>)).toEqual(Array.from(arr as ArrayLike<number>));
      expect(back.byteLength).toBe(arr.byteLength);
    });

    it('round-trips a typed array that is a view into a larger buffer, sending only its bytes', () => {
      const big = new Uint8Array(64).map((_, i) => i);
      const view = new Int16Array(big.buffer, 6, 4);
      const back = trip(view, mode);
      expect(back).toBeInstanceOf(Int16Array);
      expect(Array.from(back)).toEqual(Array.from(view));
      expect(back.byteLength).toBe(8);
    });

    it('round-trips a Buffer as a Buffer, without its pool neighbours', () => {
      const b = Buffer.from('hello remora');
      expect(b.buffer.byteLength).toBeGreaterThan(b.byteLength); // pooled: the test means something
      const back = trip(b, mode);
      expect(Buffer.isBuffer(back)).toBe(true);
      expect(back.toString()).toBe('hello remora');
      expect(back.byteLength).toBe(b.byteLength);
    });

    it('round-trips an ArrayBuffer and a DataView', () => {
      const ab = new Uint8Array([1, 2, 3, 250]).buffer;
      const back = trip(ab, mode);
      expect(back).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(back)]).toEqual([1, 2, 3, 250]);
      const dv = new DataView(new ArrayBuffer(16), 4, 8);
      dv.setFloat64(0, 6.25);
      const dvBack = trip(dv, mode);
      expect(dvBack).toBeInstanceOf(DataView);
      expect(dvBack.byteLength).toBe(8);
      expect(dvBack.getFloat64(0)).toBe(6.25);
    });

    it('round-trips errors with name, message, stack, code and own properties', () => {
      const e = new TypeError('bad thing') as TypeError & { code?: string; path?: string; errno?: number; info?: unknown };
      e.code = 'EBAD';
      e.path = '/tmp/x';
      e.errno = -2;
      e.info = { nested: [1, 2] };
      const back = trip(e, mode);
      expect(back).toBeInstanceOf(Error);
      expect(back.name).toBe('TypeError');
      expect(back.message).toBe('bad thing');
      expect(back.stack).toBe(e.stack);
      expect(back.code).toBe('EBAD');
      expect(back.path).toBe('/tmp/x');
      expect(back.errno).toBe(-2);
      expect(back.info).toEqual({ nested: [1, 2] });
    });

    it('round-trips an error nested in data, and a numeric code as text', () => {
      const e = Object.assign(new Error('inner'), { code: 42 });
      const back = trip({ list: [e] }, mode);
      expect(back.list[0]).toBeInstanceOf(Error);
      expect((back.list[0] as Error & { code: unknown }).code).toBe('42');
    });

    it('round-trips nested plain data', () => {
      const v = { a: [1, { b: 'c', d: [null, true, { e: [] }] }], f: {}, 'weird key': { '': 0 }, constructor: 'just a key' };
      expect(trip(v, mode)).toEqual(v);
    });

    it('keeps cycles', () => {
      const a: Record<string, unknown> = { name: 'a' };
      const arr: unknown[] = [a];
      a.self = a;
      a.list = arr;
      arr.push(arr);
      const back = trip(a, mode) as typeof a & { self: unknown; list: unknown[] };
      expect(back.self).toBe(back);
      expect(back.list[0]).toBe(back);
      expect(back.list[1]).toBe(back.list);
      const m = new Map<string, unknown>();
      m.set('me', m);
      const mb = trip(m, mode);
      expect(mb.get('me')).toBe(mb);
      const s = new Set<unknown>();
      s.add(s);
      const sb = trip(s, mode);
      expect(sb.has(sb)).toBe(true);
    });

    it('keeps shared subtrees shared', () => {
      const shared = { x: 1 };
      const list = [1, 2];
      const back = trip({ p: shared, q: shared, r: [shared, list], s: new Map([['l', list]]) }, mode);
      expect(back.p).toBe(back.q);
      expect(back.r[0]).toBe(back.p);
      expect(back.s.get('l')).toBe(back.r[1]);
    });
  });

  it('puts binary data in the wire as bytes in clone mode and as base64 text in base64 mode', () => {
    const cloneWire = encode(new Uint16Array([1, 2]), host('clone')) as unknown[];
    expect(cloneWire[2]).toBeInstanceOf(Uint8Array);
    const b64Wire = encode(new Uint16Array([1, 2]), host('base64')) as unknown[];
    expect(typeof b64Wire[2]).toBe('string');
    expect(JSON.parse(JSON.stringify(b64Wire))).toEqual(b64Wire);
  });

  it('base64-encodes and decodes every length and byte value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect([...fromBase64(toBase64(bytes))]).toEqual([...bytes]);
    }
  });

  it('encodes and decodes argument lists, keeping holes of undefined', () => {
    const wire = encodeArgs([1, 'a', undefined, -0, { x: [1n] }], host());
    const back = decodeArgs(structuredClone(wire), noRefs);
    expect(back).toHaveLength(5);
    expect(back[2]).toBeUndefined();
    expect(Object.is(back[3], -0)).toBe(true);
    expect(back[4]).toEqual({ x: [1n] });
  });

  it('refuses a symbol with E_BAD_VALUE', () => {
    expect(code(() => encode(Symbol('s'), host()))).toBe('E_BAD_VALUE');
  });

  it('hands functions and class instances to the host as references', () => {
    const seen: unknown[] = [];
    const refHost: EncodeHost = { ...host(), byReference: (v) => (seen.push(v), ['r', seen.length, 'o']) };
    class Thing {}
    const fn = (): void => undefined;
    const wire = encode({ fn, t: new Thing() }, refHost);
    expect(seen).toHaveLength(2);
    expect(wire).toEqual(['o', 'fn', ['r', 1, 'o'], 't', ['r', 2, 'o']]);
  });

  describe('decoder refuses hostile input', () => {
    const cases: Array<[string, unknown, string]> = [
      ['a "__proto__" key', ['o', '__proto__', ['o', 'polluted', true]], 'E_PROTOCOL'],
      ['a "__proto__" key deep inside', ['a', ['o', 'ok', 1, '__proto__', 1]], 'E_PROTOCOL'],
      ['a "__proto__" key in error props', ['e', 'Error', 'm', '', null, ['o', '__proto__', 1]], 'E_PROTOCOL'],
      ['an unknown tag', ['zz', 1], 'E_PROTOCOL'],
      ['an untagged object', { a: 1 }, 'E_PROTOCOL'],
      ['an untagged array', [1, 2], 'E_PROTOCOL'],
      ['a back-reference past the end', ['a', ['#', 5]], 'E_PROTOCOL'],
      ['a negative back-reference', ['a', ['#', -1]], 'E_PROTOCOL'],
      ['a fractional back-reference', ['a', ['#', 0.5]], 'E_PROTOCOL'],
      ['a back-reference as text', ['a', ['#', '0']], 'E_PROTOCOL'],
      ['a forward back-reference', ['a', ['#', 1], ['a']], 'E_PROTOCOL'],
      ['an object with a dangling key', ['o', 'a'], 'E_PROTOCOL'],
      ['a non-string object key', ['o', 1, 2], 'E_PROTOCOL'],
      ['a map with a dangling key', ['m', 1], 'E_PROTOCOL'],
      ['a malformed BigInt', ['b', '12x'], 'E_PROTOCOL'],
      ['a BigInt that is not text', ['b', 12], 'E_PROTOCOL'],
      ['an unknown special number', ['n', 'Infinityy'], 'E_PROTOCOL'],
      ['a special number named after an Object.prototype member', ['n', 'constructor'], 'E_PROTOCOL'],
      ['a special number named toString', ['n', 'toString'], 'E_PROTOCOL'],
      ['a date that is not a number', ['d', '2020'], 'E_PROTOCOL'],
      ['an unknown binary type', ['t', 'SharedArrayBuffer', new Uint8Array(4)], 'E_PROTOCOL'],
      ['a binary type named after an Object.prototype member', ['t', 'constructor', new Uint8Array(4)], 'E_PROTOCOL'],
      ['binary data of the wrong length', ['t', 'Float64Array', new Uint8Array(7)], 'E_PROTOCOL'],
      ['bad base64', ['t', 'Uint8Array', 'not base64!'], 'E_PROTOCOL'],
      ['binary data that is neither bytes nor text', ['t', 'Uint8Array', [1, 2]], 'E_PROTOCOL'],
      ['an error without a message', ['e', 'Error', 5, '', null, null], 'E_PROTOCOL'],
      ['an error with an object code', ['e', 'Error', 'm', '', { c: 1 }, null], 'E_PROTOCOL'],
      ['a reference id that is not a number', ['r', 'x'], 'E_PROTOCOL'],
      ['a function value', (() => 1) as unknown, 'E_PROTOCOL'],
    ];
    it.each(cases)('refuses %s', (_what, wire, expected) => {
      expect(code(() => decode(wire, noRefs))).toBe(expected);
      expect(code(() => decodeArgs([wire], noRefs))).toBe(expected);
    });

    it('never pollutes Object.prototype', () => {
      try {
        decode(['o', '__proto__', ['o', 'polluted', true]], noRefs);
      } catch {
        /* refused */
      }
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it('asks its host about reference tags and passes on the host\'s refusal', () => {
      const asked: unknown[] = [];
      const h: DecodeHost = { reference: (tag, w) => (asked.push([tag, w[1]]), `ref:${tag}${String(w[1])}`) };
      expect(decode(['a', ['h', 3], ['c', 4]], h)).toEqual(['ref:h3', 'ref:c4']);
      expect(asked).toEqual([['h', 3], ['c', 4]]);
      expect(code(() => decode(['r', 1, 'o'], noRefs))).toBe('E_PROTOCOL');
    });

    it('refuses nesting deeper than maxDepth with E_TOO_DEEP', () => {
      let w: Wire = 1;
      for (let i = 0; i < 70; i++) w = ['a', w];
      expect(code(() => decode(w, noRefs))).toBe('E_TOO_DEEP');
      let ok: Wire = 1;
      for (let i = 0; i < 64; i++) ok = ['a', ok];
      expect(code(() => decode(ok, noRefs))).toBeUndefined();
      expect(code(() => decode(ok, noRefs, { maxDepth: 10, maxBytes: 1e6 }))).toBe('E_TOO_DEEP');
    });

    it('refuses a deeply nested value built by the encoder itself', () => {
      let v: unknown = 'leaf';
      for (let i = 0; i < 100; i++) v = { v };
      const wire = encode(v, host());
      expect(code(() => decode(wire, noRefs))).toBe('E_TOO_DEEP');
    });

    it('refuses values larger than maxBytes with E_FRAME_TOO_LARGE', () => {
      const limits = { maxDepth: 64, maxBytes: 1000 };
      expect(code(() => decode('x'.repeat(2000), noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decodeArgs(['x'.repeat(2000)], noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decode(['a', 'x'.repeat(2000)], noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decodeArgs(['x'.repeat(600), ['a', 'x'.repeat(600)]], noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decode(['t', 'Uint8Array', new Uint8Array(2000)], noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decode(['a', ...new Array(200).fill(1)], noRefs, limits))).toBe('E_FRAME_TOO_LARGE');
      expect(code(() => decode(['a', 'x'.repeat(500)], noRefs, limits))).toBeUndefined();
    });
  });
});
