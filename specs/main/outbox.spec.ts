/**
 * The per-tick outbox as a unit: the protocol's TickOutbox (bounds by frames and bytes,
 * replaces oversize frames) and main's Outbox over it (E_REPLY_TOO_LARGE, split stream
 * values, a throwing transport). specs/reliability/outbound-bound.spec.ts covers the real
 * WebSocket transport.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxHost } from '../../src/main/outbox.js';
import { TickOutbox } from '../../src/protocol/outbox.js';
import { wireSize } from '../../src/protocol/wire-size.js';
import type { MainFrame } from '../../src/protocol/index.js';
import type { Transport } from '../../src/transport.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TickOutbox', () => {
  it('sends one tick of frames as one message', async () => {
    const sent: unknown[] = [];
    const o = new TickOutbox<{ t: string; n: number }>({ deliver: (m) => sent.push(m) });
    o.push({ t: 'x', n: 1 });
    o.push({ t: 'x', n: 2 });
    await tick();
    expect(sent).toEqual([{ t: 'batch', f: [{ t: 'x', n: 1 }, { t: 'x', n: 2 }] }]);
    expect(o.flushes).toBe(1);
  });

  it('keeps the transfer list of a waiting message with that message when pacing holds messages back', async () => {
    const sent: Array<{ m: any; moving: readonly ArrayBuffer[] | undefined }> = [];
    let open = false;
    const o = new TickOutbox<{ t: string; n: number }>({ deliver: (m, moving) => sent.push({ m, moving }), ready: () => open });
    o.push({ t: 'x', n: 1 });
    await tick(); // message 1 waits: the receiver takes nothing yet
    const buf = new ArrayBuffer(8);
    o.urgent([buf]);
    o.push({ t: 'x', n: 2 }); // message 2 carries the buffer and waits behind message 1
    expect(sent).toEqual([]);
    open = true;
    o.resume();
    expect(sent.map((s) => [s.m.n ?? s.m.f?.[0]?.n, s.moving])).toEqual([[1, undefined], [2, [buf]]]);
  });

  it('splits a tick into messages under maxBytes and maxFrames, in order', async () => {
    const sent: any[] = [];
    const o = new TickOutbox<{ t: string; s: string }>({ deliver: (m) => sent.push(m), maxBytes: 1_000, maxFrames: 3, measure: wireSize });
    for (let i = 0; i < 10; i++) o.push({ t: 'x', s: String(i).repeat(300) });
    await tick();
    const frames = sent.flatMap((m) => (m.t === 'batch' ? m.f : [m]));
    expect(frames.map((f) => f.s[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const m of sent) {
      expect(wireSize(m)).toBeLessThanOrEqual(1_000 + 32);
      expect(m.t === 'batch' ? m.f.length : 1).toBeLessThanOrEqual(3);
    }
  });

  it('replaces a frame over maxFrameBytes with what oversize gives, and drops one still too large', async () => {
    const sent: any[] = [];
    const o = new TickOutbox<{ t: string; s: string }>({
      deliver: (m) => sent.push(m),
      maxBytes: 1_000,
      measure: wireSize,
      oversize: (f) => (f.s.length > 5_000 ? [f] : [{ t: 'small', s: '' }]),
    });
    o.push({ t: 'x', s: 'a'.repeat(2_000) });
    o.push({ t: 'x', s: 'b'.repeat(9_000) });
    await tick();
    expect(sent).toEqual([{ t: 'small', s: '' }]);
  });

  it('withdraws a queued frame and sends nothing after stop', async () => {
    const sent: unknown[] = [];
    const o = new TickOutbox<{ t: string }>({ deliver: (m) => sent.push(m), maxBytes: 100, measure: wireSize });
    const a = { t: 'a' };
    o.push(a);
    expect(o.withdraw(a)).toBe(true);
    expect(o.withdraw(a)).toBe(false);
    o.push({ t: 'b' });
    o.stop();
    o.push({ t: 'c' });
    await tick();
    expect(sent).toEqual([]);
  });
});

function mainOutbox(limits: { maxMessageBytes: number; maxReplyBytes: number }, send?: (m: unknown) => void) {
  const sent: any[] = [];
  const discarded: unknown[] = [];
  const failedStreams: number[] = [];
  const closed: string[] = [];
  let isClosed = false;
  const transport: Transport = { messages$: new Subject(), closed$: new Subject(), send: send ?? ((m) => sent.push(m)), close: () => undefined } as unknown as Transport;
  const host: OutboxHost = {
    get closed() { return isClosed; },
    settling: false,
    gather: () => undefined,
    encodeError: (e) => ['e', 'RemoraError', (e as Error).message, '', (e as { remoraCode?: string }).remoraCode ?? '', null],
    discard: (w) => void discarded.push(w),
    streamFailed: (id) => void failedStreams.push(id),
    dropped: () => undefined,
    close: (r) => {
      isClosed = true;
      closed.push(r.kind);
    },
  };
  const o = new Outbox(transport, host, { ...limits, maxBatch: 10_000 });
  const frames = () => sent.flatMap((m) => (m.t === 'batch' ? m.f : [m]));
  return { o, sent, frames, discarded, failedStreams, closed };
}

describe("main's Outbox", () => {
  it('answers a reply over maxReplyBytes with E_REPLY_TOO_LARGE and gives back its refs', async () => {
    const r = mainOutbox({ maxMessageBytes: 1_000, maxReplyBytes: 2_000 });
    const v = ['a', 'x'.repeat(3_000), ['r', 7, 'o']];
    r.o.send({ t: 'ok', id: 4, v } as MainFrame);
    await tick();
    expect(r.frames()).toEqual([{ t: 'fail', id: 4, e: expect.arrayContaining(['E_REPLY_TOO_LARGE']) }]);
    expect(r.discarded).toEqual([v]);
  });

  it("splits a stream's values over maxReplyBytes into smaller next frames, and fails the stream on one value too large", async () => {
    const r = mainOutbox({ maxMessageBytes: 1_000, maxReplyBytes: 1_000 });
    r.o.send({ t: 'next', id: 3, v: ['a'.repeat(400), 'b'.repeat(400), 'c'.repeat(400)] });
    r.o.send({ t: 'next', id: 5, v: ['d'.repeat(1_200)] });
    await tick();
    const f = r.frames();
    expect(f.filter((x) => x.t === 'next' && x.id === 3).flatMap((x) => x.v).map((s: string) => s[0])).toEqual(['a', 'b', 'c']);
    expect(f.find((x) => x.id === 5)).toMatchObject({ t: 'error', id: 5 });
    expect(r.failedStreams).toEqual([5]);
  });

  it('ends the session instead of throwing when the transport throws while sending', async () => {
    const r = mainOutbox({ maxMessageBytes: 1_000, maxReplyBytes: 1_000 }, () => {
      throw new RangeError('Invalid string length');
    });
    r.o.send({ t: 'ok', id: 1, v: 1 });
    await tick();
    expect(r.closed).toEqual(['error']);
  });
});
