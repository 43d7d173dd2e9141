/**
 * wireSize, the outboxes' measure of a frame: close to (and not under) the frame's JSON
 * length for the frames that travel, its bytes for binary, safe on values nested far deeper
 * than the call stack allows, and cheap past its budget (it stops there).
 */
import { describe, expect, it } from 'vitest';
import { wireSize } from '../../src/protocol/wire-size.js';
import { toRenderer } from '../../src/protocol/frames.js';

describe('wireSize', () => {
  it('is at least the JSON length of ordinary frames, and not far over it', () => {
    const frames: unknown[] = [
      toRenderer.ok(1, 3),
      toRenderer.ok(123456, ['o', 'name', 'milk', 'done', false, 'tags', ['a', 'x', 'y']]),
      { t: 'apply', id: 9, ref: 2, path: ['add'], args: [1, 2] },
      [toRenderer.ok(1, 'a'.repeat(500)), toRenderer.ok(2, null)],
    ];
    for (const f of frames) {
      const json = JSON.stringify(f).length;
      const n = wireSize(f);
      expect(n).toBeGreaterThanOrEqual(json);
      expect(n).toBeLessThan(json * 2 + 16);
    }
  });

  it('counts binary by its bytes', () => {
    expect(wireSize(new Uint8Array(1000))).toBe(1016);
    expect(wireSize([new ArrayBuffer(64)])).toBe(2 + 1 + 80);
  });

  it('measures values nested 100 000 deep without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(wireSize(deep)).toBe(100_000 * 3 + 7);
    let objs: unknown = 'x';
    for (let i = 0; i < 100_000; i++) objs = { k: objs };
    expect(wireSize(objs)).toBe(100_000 * 7 + 3);
  });

  it('stops once past its budget, with a figure over it', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    const n = wireSize(big, 10_000);
    expect(n).toBeGreaterThan(10_000);
    expect(n).toBeLessThan(2_000_000);
  });
});
