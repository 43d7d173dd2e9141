/**
 * Flow control across a real worker-thread renderer that cannot keep up: a producer in main
 * about 100x faster than a renderer that blocks its event loop for every value. Main's
 * buffered values stay bounded by window + buffer under either overflow policy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { startStreamsRenderer, streamsBroker } from '../fixtures/streams-harness.js';
import { until } from '../support/workers.js';
import type { OverflowPolicy } from '../../src/main/limits.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const WINDOW = 64;
const BUFFER = 256;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

async function flood(overflow: OverflowPolicy) {
  const { broker, api } = streamsBroker({ limits: { streamWindow: WINDOW, streamBuffer: BUFFER, overflow } });
  const r = await startStreamsRenderer(broker);
  workers.push(r.worker);
  await r.run('live', 'slow', 5); // the renderer blocks 5 ms per value
  await until(() => api.counters.live === 1, 5000, 'subscribed');
  // 100 values per timer tick (1-4 ms): 25-100 values per ms against a consumer of 0.2 per ms.
  let produced = 0;
  let maxBuffered = 0;
  for (let round = 0; round < 200 && api.counters.live === 1; round++) {
    for (let i = 0; i < 100; i++) api.feed.next(produced++);
    maxBuffered = Math.max(maxBuffered, broker.stats().buffered);
    await tick();
    maxBuffered = Math.max(maxBuffered, broker.stats().buffered);
  }
  return { broker, api, r, produced, maxBuffered };
}

describe('a producer 100x faster than a frozen renderer', () => {
  it('drop-oldest: main buffers at most window + buffer values, the stream lives on and the newest value arrives', { timeout: 60_000 }, async () => {
    const { broker, api, r, produced, maxBuffered } = await flood('drop-oldest');
    expect(produced).toBe(20_000);
    expect(maxBuffered).toBeGreaterThanOrEqual(BUFFER); // the renderer really fell behind
    expect(maxBuffered).toBeLessThanOrEqual(WINDOW + BUFFER);
    // The renderer drains what main kept, ending with the newest value.
    await r.waitFor('slow', 1, 30_000);
    await until(() => r.reports('slow').at(-1) === produced - 1, 30_000, 'the newest value');
    const got = r.reports('slow') as number[];
    expect(got.length).toBeLessThan(produced);
    expect(got.every((v, i) => i === 0 || v > got[i - 1]!)).toBe(true); // in order, oldest dropped
    expect(r.reports('slow:error')).toEqual([]);
    await until(() => broker.stats().buffered === 0, 5000, 'drained');
    expect(api.counters.live).toBe(1);
    await r.run('unsubscribe', 'slow');
    await until(() => api.counters.live === 0, 5000, 'torn down');
  });

  it('error: the stream ends with E_OVERFLOW for the renderer, its source is torn down and main holds nothing', { timeout: 60_000 }, async () => {
    const { broker, api, r, produced, maxBuffered } = await flood('error');
    expect(maxBuffered).toBeLessThanOrEqual(WINDOW + BUFFER);
    expect(produced).toBeLessThan(20_000); // main stopped producing once the source was torn down
    const [err] = (await r.waitFor('slow:error', 1, 30_000)) as { remoraCode: string; received: number }[];
    expect(err!.remoraCode).toBe('E_OVERFLOW');
    expect(err!.received).toBeLessThanOrEqual(WINDOW + BUFFER);
    expect(api.counters.live).toBe(0);
    expect(api.feed.observed).toBe(false);
    expect(broker.stats()).toMatchObject({ subscriptions: 0, buffered: 0 });
  });
});

describe('values that are never delivered', () => {
  it('hand back their refs: by-reference values dropped, unsent or arriving after unsubscribe leave no refs in main', { timeout: 60_000 }, async () => {
    const { broker, api } = streamsBroker({ limits: { streamWindow: WINDOW, streamBuffer: BUFFER, overflow: 'drop-oldest' } });
    const r = await startStreamsRenderer(broker);
    workers.push(r.worker);
    const before = broker.stats().refs;
    await r.run('objects', 'o', 1);
    await until(() => api.objects.observed && broker.stats().subscriptions === 1, 5000, 'subscribed');
    const baseline = broker.stats().refs; // + the objects$ Observable itself
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) {
        const n = round * 100 + i;
        api.objects.next({ n, get: () => n });
      }
      // Delivered values keep their refs until the renderer's GC releases their handles;
      // what main holds back stays bounded.
      expect(broker.stats().buffered).toBeLessThanOrEqual(WINDOW + BUFFER);
      expect(broker.stats().refs).toBeGreaterThan(baseline);
      await tick();
    }
    await r.waitFor('o', 10);
    await r.run('unsubscribe', 'o');
    await until(() => !api.objects.observed, 5000, 'torn down');
    expect(await r.run('gc')).toBe('function');
    // Only what the renderer held before remains (its objects$ handle was collected too).
    await until(() => broker.stats().refs === before, 10_000, `refs back to ${before} (have ${broker.stats().refs})`);
    expect(r.reports('o').every((t) => t === 'object')).toBe(true);
  });
});
