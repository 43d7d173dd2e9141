/** Unit specs of the mailbox on its own: the bounded queue and its in-flight limit. */
import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/actor/mailbox.js';

describe('Mailbox', () => {
  it('hands out waiting messages oldest first', () => {
    const m = new Mailbox<string>(1, 10);
    m.enqueue('a');
    m.enqueue('b');
    m.enqueue('c');
    expect([m.take(), m.take(), m.take()]).toEqual(['a', 'b', 'c']);
    expect(m.take()).toBeUndefined();
    expect(m.queued).toBe(0);
  });

  it('is idle only while there is room to run and nothing waits', () => {
    const m = new Mailbox<string>(2, 10);
    expect(m.idle).toBe(true);
    m.begin();
    expect(m.idle).toBe(true);
    m.begin();
    expect(m.idle).toBe(false);
    expect(m.hasRoom).toBe(false);
    m.end();
    expect(m.idle).toBe(true);
    m.enqueue('waiting');
    expect(m.hasRoom).toBe(true);
    expect(m.idle).toBe(false);
  });

  it('counts running messages from begin to end', () => {
    const m = new Mailbox<string>(3, 10);
    m.begin();
    m.begin();
    expect(m.running).toBe(2);
    m.end();
    expect(m.running).toBe(1);
  });

  it('reports full once capacity messages wait', () => {
    const m = new Mailbox<number>(1, 2);
    m.enqueue(1);
    expect(m.full).toBe(false);
    m.enqueue(2);
    expect(m.full).toBe(true);
    m.take();
    expect(m.full).toBe(false);
  });

  it('is full at once with capacity 0', () => {
    expect(new Mailbox<number>(1, 0).full).toBe(true);
  });

  it('gives every waiting message back in order and empties itself on takeAll', () => {
    const m = new Mailbox<number>(1, 10);
    for (const n of [1, 2, 3, 4]) m.enqueue(n);
    m.take();
    expect(m.takeAll()).toEqual([2, 3, 4]);
    expect(m.queued).toBe(0);
    expect(m.take()).toBeUndefined();
  });

  it('keeps order across the cut of its consumed prefix (a long queue drained while it grows)', () => {
    const m = new Mailbox<number>(1, 100_000);
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < 3000; i++) m.enqueue(next++);
    while (m.queued > 0) {
      out.push(m.take()!);
      if (next < 6000) m.enqueue(next++);
    }
    expect(out).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });
});
