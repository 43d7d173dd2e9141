import { describe, expect, it } from 'vitest';
import { RemoraError } from '../../src/errors.js';
import { defaultFrameLimits, FrameError, isRequest, parseRendererFrame, PROTOCOL_VERSION, unbatch } from '../../src/protocol/frames.js';

function refusal(raw: unknown, limits = defaultFrameLimits): FrameError {
  try {
    parseRendererFrame(raw, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(FrameError);
    expect(e).toBeInstanceOf(RemoraError);
    return e as FrameError;
  }
  throw new Error(`frame was accepted: ${JSON.stringify(raw)}`);
}

describe('renderer frame validation', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['hello', { t: 'hello', v: PROTOCOL_VERSION, gen: 0 }],
    ['hello with a name', { t: 'hello', v: PROTOCOL_VERSION, gen: 3, name: 'win-1' }],
    ['get on a ref', { t: 'get', id: 1, ref: 2, path: ['a', 'b'] }],
    ['get pipelined on a call', { t: 'get', id: 2, on: 1, path: [] }],
    ['sync get', { t: 'get', id: 2, ref: 1, path: ['x'], s: 1 }],
    ['set', { t: 'set', id: 3, ref: 1, path: ['x'], value: 5 }],
    ['set of undefined', { t: 'set', id: 3, ref: 1, path: ['x'], value: ['u'] }],
    ['apply', { t: 'apply', id: 4, ref: 1, path: ['f'], args: [1, 'a'] }],
    ['apply with pipelined dependents', { t: 'apply', id: 4, ref: 1, path: ['f'], args: [], k: 2 }],
    ['new', { t: 'new', id: 5, ref: 1, path: ['C'], args: [] }],
    ['require', { t: 'require', id: 6, name: 'fs' }],
    ['global', { t: 'global', id: 7, name: 'config' }],
    ['current', { t: 'current', id: 8, what: 'window' }],
    ['sub to an observable', { t: 'sub', id: 9, ref: 1, path: ['changes$'] }],
    ['sub to an event', { t: 'sub', id: 9, ref: 1, path: ['emitter'], event: 'data' }],
    ['sub with args', { t: 'sub', id: 9, ref: 1, path: ['watch'], args: ['/tmp'] }],
    ['unsub', { t: 'unsub', id: 9 }],
    ['cancel', { t: 'cancel', id: 4 }],
    ['ack', { t: 'ack', id: 9, n: 100 }],
    ['release', { t: 'release', refs: [1, 2, 3, 1] }],
    ['empty release', { t: 'release', refs: [] }],
  ];

  it.each(valid)('accepts %s', (_what, frame) => {
    expect(parseRendererFrame(frame)).toBe(frame);
  });

  it('marks exactly the request kinds as expecting a reply', () => {
    const kinds = valid.map(([, f]) => parseRendererFrame(f)).filter(isRequest).map((f) => f.t);
    expect(new Set(kinds)).toEqual(new Set(['get', 'set', 'apply', 'new', 'require', 'global', 'current']));
  });

  const withoutId: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'get'],
    ['a number', 42],
    ['an array', [{ t: 'get' }]],
    ['no kind', { id: 'x' }],
    ['an unknown kind without id', { t: 'explode' }],
    ['a non-string kind', { t: 7 }],
    ['hello without version', { t: 'hello', gen: 0 }],
    ['hello with a text version', { t: 'hello', v: '1', gen: 0 }],
    ['hello with a negative generation', { t: 'hello', v: 1, gen: -1 }],
    ['hello with a non-string name', { t: 'hello', v: 1, gen: 0, name: {} }],
    ['a request with a text id', { t: 'get', id: '1', ref: 1, path: [] }],
    ['a request with a zero id', { t: 'get', id: 0, ref: 1, path: [] }],
    ['a request with a fractional id', { t: 'get', id: 1.5, ref: 1, path: [] }],
    ['a request with an unsafe id', { t: 'get', id: 2 ** 60, ref: 1, path: [] }],
    ['release with odd pairs', { t: 'release', refs: [1] }],
    ['release with a negative count', { t: 'release', refs: [1, -1] }],
    ['release with text ids', { t: 'release', refs: ['1', 1] }],
    ['release without refs', { t: 'release' }],
    ['ack without id', { t: 'ack', n: 1 }],
    ['unsub without id', { t: 'unsub' }],
    ['a nested batch', { t: 'batch', f: [] }],
  ];

  it.each(withoutId)('refuses %s, with no id to reply to', (_what, frame) => {
    const e = refusal(frame);
    expect(e.code).toBe('E_PROTOCOL');
    expect(e.id).toBeUndefined();
  });

  const withId: Array<[string, Record<string, unknown>]> = [
    ['an unknown kind', { t: 'explode', id: 11 }],
    ['a request with neither ref nor on', { t: 'get', id: 11, path: [] }],
    ['a request with both ref and on', { t: 'get', id: 11, ref: 1, on: 2, path: [] }],
    ['a text ref', { t: 'get', id: 11, ref: '1', path: [] }],
    ['a negative ref', { t: 'get', id: 11, ref: -1, path: [] }],
    ['a fractional "on"', { t: 'get', id: 11, on: 0.5, path: [] }],
    ['a request pipelined on its own id', { t: 'apply', id: 11, on: 11, path: [], args: [], k: 1 }],
    ['a sub pipelined on its own id', { t: 'sub', id: 11, on: 11, path: [] }],
    ['a missing path', { t: 'get', id: 11, ref: 1 }],
    ['a path that is a string', { t: 'get', id: 11, ref: 1, path: 'a.b' }],
    ['a path with a number', { t: 'get', id: 11, ref: 1, path: ['a', 1] }],
    ['a path too long', { t: 'get', id: 11, ref: 1, path: new Array(33).fill('a') }],
    ['a path element too long', { t: 'get', id: 11, ref: 1, path: ['x'.repeat(1025)] }],
    ['a bad sync flag', { t: 'get', id: 11, ref: 1, path: [], s: true }],
    ['a bad pipeline count', { t: 'get', id: 11, ref: 1, path: [], k: -1 }],
    ['set without value', { t: 'set', id: 11, ref: 1, path: ['x'] }],
    ['set with an empty path', { t: 'set', id: 11, ref: 1, path: [], value: 1 }],
    ['apply without args', { t: 'apply', id: 11, ref: 1, path: [] }],
    ['apply with object args', { t: 'apply', id: 11, ref: 1, path: [], args: { 0: 1 } }],
    ['apply with too many args', { t: 'apply', id: 11, ref: 1, path: [], args: new Array(1025).fill(0) }],
    ['new without args', { t: 'new', id: 11, ref: 1, path: [] }],
    ['require without a name', { t: 'require', id: 11 }],
    ['require with an empty name', { t: 'require', id: 11, name: '' }],
    ['require with a numeric name', { t: 'require', id: 11, name: 5 }],
    ['global with a huge name', { t: 'global', id: 11, name: 'g'.repeat(2000) }],
    ['current without what', { t: 'current', id: 11 }],
    ['sub with a bad event', { t: 'sub', id: 11, ref: 1, path: [], event: 3 }],
    ['sub with bad args', { t: 'sub', id: 11, ref: 1, path: [], args: 'x' }],
    ['ack with a zero count', { t: 'ack', id: 11, n: 0 }],
    ['ack without n', { t: 'ack', id: 11 }],
  ];

  it.each(withId)('refuses %s with a FrameError carrying the id', (_what, frame) => {
    const e = refusal(frame);
    expect(e.code).toBe('E_PROTOCOL');
    expect(e.id).toBe(11);
    expect(e.message).toMatch(/Protocol violation/);
  });

  it('applies custom limits', () => {
    const limits = { ...defaultFrameLimits, maxPath: 2, maxArgs: 1, maxKey: 3 };
    expect(refusal({ t: 'get', id: 1, ref: 1, path: ['a', 'b', 'c'] }, limits).id).toBe(1);
    expect(refusal({ t: 'apply', id: 2, ref: 1, path: [], args: [1, 2] }, limits).id).toBe(2);
    expect(refusal({ t: 'require', id: 3, name: 'long' }, limits).id).toBe(3);
  });
});

describe('unbatching', () => {
  it('splits a batch into its frames and wraps a single frame', () => {
    const a = { t: 'get', id: 1, ref: 1, path: [] };
    const b = { t: 'cancel', id: 1 };
    expect(unbatch({ t: 'batch', f: [a, b] })).toEqual([a, b]);
    expect(unbatch(a)).toEqual([a]);
    expect(unbatch('junk')).toEqual(['junk']);
  });

  it('refuses a batch that is not an array or is too large', () => {
    expect(() => unbatch({ t: 'batch', f: 'x' })).toThrow(FrameError);
    expect(() => unbatch({ t: 'batch', f: new Array(5).fill({}) }, { ...defaultFrameLimits, maxBatch: 4 })).toThrow(/at most 4 frames/);
  });
});
