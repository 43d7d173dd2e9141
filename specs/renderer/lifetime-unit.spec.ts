/** The renderer's ref cache (Lifetime), driven directly: receipts, releases and their batching. */
import { describe, expect, it } from 'vitest';
import { Lifetime } from '../../src/renderer/lifetime.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const turn = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lifetime(delayMs = 0) {
  const sent: number[][] = [];
  return { sent, life: new Lifetime((pairs) => sent.push(pairs), delayMs) };
}

describe('lifetime', () => {
  it('counts every receipt of a ref and releases them all in one pair', () => {
    const { sent, life } = lifetime();
    const s = life.received(1, 'o', ['a']);
    expect(life.received(1, 'o', ['a'])).toBe(s);
    life.received(1, 'o', undefined);
    expect(s.count).toBe(3);
    life.release(s, true);
    expect(sent).toEqual([[1, 3]]);
    expect(s.released).toBe(true);
    expect(life.size).toBe(0);
  });

  it('releases a ref once, however often it is released', () => {
    const { sent, life } = lifetime();
    const s = life.received(4, 'o', undefined);
    life.release(s, true);
    life.release(s, true);
    expect(sent).toEqual([[4, 1]]);
  });

  it('gathers releases into one frame after the delay', async () => {
    const { sent, life } = lifetime(5);
    life.release(life.received(1, 'o', undefined), false);
    life.release(life.received(2, 'f', undefined), false);
    life.returnReceipt(3);
    expect(sent).toEqual([]);
    await turn(20);
    expect(sent).toEqual([[1, 1, 2, 1, 3, 1]]);
  });

  it('starts a new record for a ref received again after it was released', () => {
    const { life } = lifetime();
    const first = life.received(5, 'o', undefined);
    life.release(first, true);
    const again = life.received(5, 'o', undefined);
    expect(again).not.toBe(first);
    expect(again).toMatchObject({ count: 1, released: false });
  });

  it('keeps at most one live handle of each flavour for a ref', () => {
    const { life } = lifetime();
    const s = life.received(6, 'o', undefined);
    const h = {};
    life.attach(s, 'asyncHandle', h);
    expect(life.handle(s, 'asyncHandle')).toBe(h);
    expect(life.handle(s, 'syncHandle')).toBeUndefined();
  });

  it('releases refs whose handles were all garbage-collected when swept', async () => {
    const { sent, life } = lifetime();
    const kept = life.received(7, 'o', undefined);
    const handle = {};
    life.attach(kept, 'asyncHandle', handle);
    (() => life.attach(life.received(8, 'o', undefined), 'asyncHandle', {}))();
    await turn();
    gc();
    expect(life.sweep()).toBe(1);
    life.flush();
    expect(sent.flat()).toEqual([8, 1]);
    expect(life.handle(kept, 'asyncHandle')).toBe(handle);
  });

  it('after the connection closed, tracks nothing and sends nothing: refs are born released', async () => {
    const { sent, life } = lifetime();
    const s = life.received(9, 'o', undefined);
    life.release(s, false);
    life.clear();
    await turn(5);
    expect(sent).toEqual([]);
    expect(life.received(10, 'o', undefined)).toMatchObject({ released: true, count: 0 });
    expect(life.size).toBe(0);
  });
});
