/**
 * Main's outbox paced by a transport's backlog, as a unit with a fake transport whose backlog
 * the spec sets: messages wait as frames while the backlog is at its high-water mark and leave
 * in order on drain; a sync reply on a transport without its own channel stays behind them; a
 * queue that keeps growing while nothing drains ends the session as a slow consumer; a
 * transport without a backlog is not paced. specs/transports/websocket-pacing.spec.ts covers
 * the real socket.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxHost } from '../../src/main/outbox.js';
import type { MainFrame } from '../../src/protocol/index.js';
import type { CloseReason, Transport } from '../../src/transport.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

function paced(opts: { backlog?: boolean; grow?: number; limits?: Record<string, number> } = {}) {
  const sent: any[] = [];
  const closed: CloseReason[] = [];
  const drained = new Subject<void>();
  let backlog = 0;
  const transport = {
    messages$: new Subject(),
    closed$: new Subject(),
    send: (m: unknown) => {
      sent.push(m);
      backlog += opts.grow ?? 0;
    },
    close: () => undefined,
    ...(opts.backlog === false ? {} : { backlog: () => backlog, drained$: drained }),
  } as unknown as Transport;
  let isClosed = false;
  const host: OutboxHost = {
    get closed() { return isClosed; },
    settling: false,
    gather: () => undefined,
    encodeError: () => null as never,
    discard: () => undefined,
    streamFailed: () => undefined,
    dropped: () => undefined,
    close: (r) => {
      isClosed = true;
      closed.push(r);
    },
  };
  const o = new Outbox(transport, host, { maxMessageBytes: 100, maxReplyBytes: 100, maxBatch: 10_000, maxBacklogBytes: 1_000, slowConsumerMs: 60_000, maxQueuedBytes: 2_000, ...opts.limits });
  const ids = () => sent.flatMap((m) => (m.t === 'batch' ? m.f : [m])).map((f: { id: number }) => f.id);
  return { o, sent, ids, closed, drained, setBacklog: (n: number) => void (backlog = n) };
}

const ok = (id: number): MainFrame => ({ t: 'ok', id, v: 'x'.repeat(60) });

describe('paced outbox', () => {
  it('keeps messages as frames while the backlog is at its high-water mark and sends them in order on drain', async () => {
    const p = paced();
    p.setBacklog(1_000);
    for (let i = 1; i <= 5; i++) p.o.send(ok(i));
    await tick();
    expect(p.sent).toEqual([]);
    p.o.send(ok(6));
    await tick();
    p.setBacklog(0);
    p.drained.next();
    expect(p.ids()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.closed).toEqual([]);
  });

  it('hands over only while the backlog is under the mark, continuing on each drain', async () => {
    // Each message (one frame: they are over half of maxMessageBytes) takes the backlog to the mark.
    const p = paced({ grow: 1_000 });
    for (let i = 1; i <= 4; i++) p.o.send(ok(i));
    await tick();
    expect(p.ids()).toEqual([1]);
    p.drained.next();
    expect(p.ids()).toEqual([1]);
    p.setBacklog(0);
    p.drained.next();
    expect(p.ids()).toEqual([1, 2]);
    p.setBacklog(0);
    p.drained.next();
    p.setBacklog(0);
    p.drained.next();
    expect(p.ids()).toEqual([1, 2, 3, 4]);
  });

  it('keeps a sync reply behind waiting frames on a transport without replySync', async () => {
    const p = paced();
    p.setBacklog(1_000);
    p.o.send(ok(1));
    p.o.send(ok(2));
    await tick();
    p.o.send(ok(3), true);
    p.setBacklog(0);
    p.drained.next();
    expect(p.ids()).toEqual([1, 2, 3]);
  });

  it('ends the session as a slow consumer when the queue keeps growing while nothing drains, past one burst', async () => {
    const p = paced();
    p.setBacklog(1_000);
    // One burst (one task) of any size may wait.
    for (let i = 1; i <= 60; i++) p.o.send(ok(i));
    await tick();
    await new Promise((r) => setImmediate(r));
    expect(p.closed).toEqual([]);
    // Later tasks may not add more than maxQueuedBytes to a queue that does not drain.
    for (let i = 61; i <= 120 && p.closed.length === 0; i++) {
      p.o.send(ok(i));
      await tick();
    }
    expect(p.closed.map((c) => [c.kind, c.code])).toEqual([['slow-consumer', 'E_SLOW_CONSUMER']]);
  });

  it('lets a queue that drains take a new burst without counting what already left', async () => {
    const p = paced();
    p.setBacklog(1_000);
    for (let i = 1; i <= 60; i++) p.o.send(ok(i));
    await tick();
    await new Promise((r) => setImmediate(r));
    for (let round = 0; round < 5; round++) {
      p.setBacklog(0);
      p.drained.next();
      p.setBacklog(1_000);
      for (let i = 0; i < 20; i++) p.o.send(ok(1_000 + round * 20 + i));
      await tick();
    }
    expect(p.closed).toEqual([]);
  });

  it('ends the session when frames wait and the backlog has not fallen for slowConsumerMs', async () => {
    const p = paced({ limits: { slowConsumerMs: 50 } });
    p.setBacklog(1_000);
    p.o.send(ok(1));
    p.o.send(ok(2));
    await tick();
    await new Promise((r) => setTimeout(r, 150));
    expect(p.closed.map((c) => c.kind)).toEqual(['slow-consumer']);
  });

  it('sends everything at once on a transport that reports no backlog', async () => {
    const p = paced({ backlog: false });
    for (let i = 1; i <= 50; i++) p.o.send(ok(i));
    await tick();
    expect(p.ids()).toHaveLength(50);
    expect(p.sent.length).toBeGreaterThan(1);
  });
});
