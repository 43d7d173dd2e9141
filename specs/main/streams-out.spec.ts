/**
 * StreamOut's credit-based flow control, observed through the frames it emits (a recording
 * sink stands in for the session; the worker-thread specs cover the real thing).
 */
import { describe, expect, it } from 'vitest';
import { StreamOut, type StreamLimits, type StreamSink } from '../../src/main/stream-out.js';
import type { Wire } from '../../src/protocol/codec.js';

function recorder(limits: StreamLimits) {
  const frames: any[] = [];
  const discarded: Wire[] = [];
  let dirty: StreamOut[] = [];
  let ended = 0;
  let tornDown = 0;
  const sink: StreamSink = {
    push: (f) => frames.push(f),
    schedule: (s) => dirty.push(s),
    encode: (v) => v as Wire,
    encodeError: (e) => String((e as Error).message ?? e),
    discard: (w) => discarded.push(w),
    streamEnded: () => ended++,
  };
  const s = new StreamOut(1, sink, limits);
  s.teardown = () => tornDown++;
  /** End of tick: the session flushes dirty streams. */
  const flush = () => {
    const d = dirty;
    dirty = [];
    for (const x of d) x.flush();
  };
  const sent = () => frames.filter((f) => f.t === 'next').flatMap((f) => f.v);
  return { s, frames, discarded, flush, sent, counts: () => ({ ended, tornDown }) };
}

describe('StreamOut', () => {
  it('batches the values of one tick into one next frame', () => {
    const r = recorder({ window: 100, buffer: 100, overflow: 'error' });
    for (let i = 0; i < 10; i++) r.s.next(i);
    r.flush();
    expect(r.frames).toEqual([{ t: 'next', id: 1, v: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }]);
  });

  it('sends no more than the window before an ack, then resumes in order', () => {
    const r = recorder({ window: 4, buffer: 100, overflow: 'error' });
    for (let i = 0; i < 10; i++) r.s.next(i);
    r.flush();
    expect(r.sent()).toEqual([0, 1, 2, 3]);
    expect(r.s.buffered).toBe(6);
    r.s.ack(4);
    r.flush();
    expect(r.sent()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    r.s.ack(2);
    r.s.next(10);
    r.flush();
    expect(r.sent()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    r.s.ack(4);
    r.flush();
    expect(r.sent()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.s.buffered).toBe(0);
  });

  it('drop-oldest: holds at most window + buffer values, drops the oldest waiting ones and discards them', () => {
    const r = recorder({ window: 2, buffer: 3, overflow: 'drop-oldest' });
    for (let i = 0; i < 5000; i++) {
      r.s.next(i);
      expect(r.s.buffered).toBeLessThanOrEqual(5);
    }
    r.flush();
    expect(r.s.dropped).toBe(5000 - 5);
    expect(r.discarded).toHaveLength(5000 - 5);
    expect(r.discarded.slice(0, 3)).toEqual([2, 3, 4]);
    r.s.ack(2);
    r.flush();
    r.s.ack(2);
    r.flush();
    expect(r.sent()).toEqual([0, 1, 4997, 4998, 4999]);
    expect(r.counts()).toEqual({ ended: 0, tornDown: 0 });
  });

  it('error policy: ends with E_OVERFLOW after the values already due, tears down the source and discards the rest', () => {
    const r = recorder({ window: 2, buffer: 3, overflow: 'error' });
    for (let i = 0; i < 6; i++) r.s.next(i);
    expect(r.s.ended).toBe(true);
    expect(r.frames.map((f) => f.t)).toEqual(['next', 'error']);
    expect(r.sent()).toEqual([0, 1]);
    expect(r.frames[1].e).toContain('overflowed');
    expect(r.discarded).toEqual([2, 3, 4, 5]);
    expect(r.counts()).toEqual({ ended: 1, tornDown: 1 });
    r.s.next(99);
    expect(r.frames).toHaveLength(2);
  });

  it('completion sends every waiting value before complete, and discards nothing', () => {
    const r = recorder({ window: 2, buffer: 10, overflow: 'error' });
    for (let i = 0; i < 6; i++) r.s.next(i);
    r.s.complete();
    expect(r.sent()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.frames.at(-1)).toEqual({ t: 'complete', id: 1 });
    expect(r.discarded).toEqual([]);
    expect(r.counts()).toEqual({ ended: 1, tornDown: 1 });
  });

  it('stop (unsubscribe, session end) sends nothing more, tears down once and discards unsent values', () => {
    const r = recorder({ window: 2, buffer: 10, overflow: 'error' });
    for (let i = 0; i < 5; i++) r.s.next(i);
    r.s.stop();
    r.s.stop();
    r.flush();
    expect(r.frames).toEqual([]);
    expect(r.discarded).toEqual([0, 1, 2, 3, 4]);
    expect(r.counts()).toEqual({ ended: 1, tornDown: 1 });
  });
});
