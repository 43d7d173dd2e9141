import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak.js';

describe('soak (short)', () => {
  it('400 session open/use/close cycles with callbacks, subscriptions and handles leave main flat', async () => {
    const result = await runSoak({ cycles: 400, warmup: 200, sampleEvery: 25 });
    console.info(
      `[soak] ${result.cycles} cycles in ${(result.durationMs / 1000).toFixed(1)} s; heap after warm-up ${(result.heap.min / 1048576).toFixed(2)}..${(result.heap.max / 1048576).toFixed(2)} MiB, ` +
        `max deviation ${(result.heap.maxDeviation * 100).toFixed(2)}%, drift ${(result.heap.drift * 100).toFixed(2)}%`,
    );
    for (const s of result.samples) {
      expect(s.tables).toMatchObject({ sessions: 0, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0 });
      expect({ listeners: s.emitterListeners, observers: s.observers, backlog: s.actorBacklog }).toEqual({ listeners: 0, observers: 0, backlog: 0 });
    }
    expect(result.tablesAtBaseline).toBe(true);
    expect(result.finalizersRunning).toBe(true);
    expect(result.heap.maxDeviation).toBeLessThanOrEqual(0.05);
    expect(Math.abs(result.heap.drift)).toBeLessThanOrEqual(0.05);
  }, 120_000);
});
