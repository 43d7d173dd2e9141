import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker, type InspectEvent } from '../../src/entries/main.js';
import { renderer } from './renderers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const CALLS = 1000;

describe('mailbox ordering under concurrency', () => {
  it('keeps per-actor order for 1000 interleaved calls from each of 3 worker renderers (serial mode)', async () => {
    const broker = createBroker();
    const seen = new Map<string, number[]>();
    let active = 0;
    let maxActive = 0;
    const trace: string[] = [];
    broker.exposeModule(
      'log',
      () => ({
        async append(who: string, i: number) {
          active++;
          maxActive = Math.max(maxActive, active);
          trace.push(who);
          // Yield to the event loop so other renderers' messages arrive while this one runs.
          await new Promise((r) => setImmediate(r));
          let list = seen.get(who);
          if (!list) seen.set(who, (list = []));
          list.push(i);
          active--;
        },
      }),
      { mailbox: { mode: 'serial' } },
    );
    const events: InspectEvent[] = [];
    broker.inspect$.subscribe((e) => {
      if (e.op === 'apply' && (e.kind === 'received' || e.kind === 'started')) events.push(e);
    });
    const rs = await Promise.all(['a', 'b', 'c'].map((n) => renderer(broker, workers, n)));
    const runs = rs.map((r, k) => r.command({ cmd: 'order', module: 'log', who: 'abc'[k], n: CALLS, chunk: 10, pauseMs: 1 }).finished);
    const done = await Promise.all(runs);
    expect(done.map((d) => d.failures)).toEqual([0, 0, 0]);

    const expected = Array.from({ length: CALLS }, (_, i) => i);
    for (const who of ['a', 'b', 'c']) expect(seen.get(who)).toEqual(expected);
    expect(maxActive).toBe(1);

    // Messages started in exactly the order they arrived, across all three sessions.
    const key = (e: InspectEvent) => `${e.session}:${e.id}`;
    const received = events.filter((e) => e.kind === 'received').map(key);
    const started = events.filter((e) => e.kind === 'started').map(key);
    expect(started).toHaveLength(3 * CALLS);
    expect(started).toEqual(received);

    // The three streams really were interleaved in the one mailbox.
    const switches = trace.filter((w, i) => i > 0 && w !== trace[i - 1]).length;
    expect(switches).toBeGreaterThan(2);
    console.info(`ordering: ${3 * CALLS} calls, ${switches} switches between renderers in the mailbox`);
  });
});
