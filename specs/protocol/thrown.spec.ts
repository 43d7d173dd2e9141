/**
 * Unit spec of `src/protocol/thrown.ts` and `encodeThrown`: reading and encoding a thrown
 * value is total (it returns, whatever was thrown), and the result decodes to an error.
 */
import { describe, expect, it } from 'vitest';
import { decode, describeThrown, encodeThrown, readThrown, safeString, type EncodeHost } from '../../src/protocol/index.js';
import { HOSTILE } from '../hardening/hostile-values.js';

const host = (errorStacks?: 'full' | 'strip'): EncodeHost => ({
  plainWithFunctions: 'ref',
  binary: 'base64',
  errorStacks,
  byReference: () => ['r', 1, 'o'],
});

describe('reading and encoding thrown values', () => {
  it('never throws for any hostile value, and what it encodes decodes to an Error', () => {
    for (const [name, make] of HOSTILE) {
      const v = make();
      expect(typeof safeString(v), name).toBe('string');
      expect(typeof describeThrown(v), name).toBe('string');
      const f = readThrown(v);
      expect([typeof f.name, typeof f.message, typeof f.stack], name).toEqual(['string', 'string', 'string']);
      const wire = encodeThrown(v, host());
      expect(decode(wire, { reference: () => ({}) }), name).toBeInstanceOf(Error);
    }
  });

  it('cuts a cycle through an error\'s own extras and keeps the rest', () => {
    const e = new Error('loop') as Error & { self?: unknown; n?: number };
    e.self = e;
    e.n = 7;
    const back = decode(encodeThrown(e, host()), { reference: () => ({}) }) as Error & { self?: Error; n?: number };
    expect(back.n).toBe(7);
    expect(back.self).toBeInstanceOf(Error);
    expect(back.self!.message).toBe('loop');
  });

  it('sends only the first line of a stack under errorStacks strip', () => {
    const stripped = decode(encodeThrown(new Error('kaput'), host('strip')), { reference: () => ({}) }) as Error;
    expect(stripped.stack).toMatch(/^Error: kaput\n/);
    expect(stripped.stack).not.toMatch(/\.ts:\d+/);
    const full = decode(encodeThrown(new Error('kaput'), host('full')), { reference: () => ({}) }) as Error;
    expect(full.stack).toMatch(/thrown\.spec\.ts/);
  });

  it('refuses own toString and valueOf keys in decoded data as the sender\'s bad value', () => {
    expect(() => decode(['o', 'toString', 0], { reference: () => ({}) })).toThrow(expect.objectContaining({ remoraCode: 'E_BAD_VALUE' }));
    expect(() => decode(['o', 'valueOf', ['o']], { reference: () => ({}) })).toThrow(expect.objectContaining({ remoraCode: 'E_BAD_VALUE' }));
    expect(decode(['o', 'toStrings', 1], { reference: () => ({}) })).toEqual({ toStrings: 1 });
  });
});
