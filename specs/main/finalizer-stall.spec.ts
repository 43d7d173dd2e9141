/**
 * Main's callback table when V8 has stopped running FinalizationRegistry callbacks in main's
 * isolate (specs/support/finalizer-stall.ts reproduces it). This file has its own process
 * (vitest forks per spec file), so the stall touches no other spec.
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { makePlayground, type Playground } from '../reliability/harness.js';
import { finalizersStalled, stallFinalizers } from '../support/finalizer-stall.js';
import { collectGarbage, until } from '../support/workers.js';

const gc = (globalThis as { gc?: () => void }).gc!;

describe('renderer callbacks in main when finalizers have stopped', () => {
  it('frees callbacks main dropped by sweeping, keeps the ones main still holds, and never hits maxCallbacks for dead ones', async () => {
    expect(await stallFinalizers(gc)).toBe(true);
    const broker = createBroker({ limits: { maxCallbacks: 300 } });
    broker.exposeModule('api', makePlayground);
    const pair = createMemoryPair();
    const session = broker.connect(pair.main);
    const client = connect(pair.renderer);
    const api = await client.require<Playground>('api');

    // One callback main keeps: a listener.
    const heard: unknown[] = [];
    const emitter = await api.emitter;
    await emitter.on('kept', (v: unknown) => void heard.push(v));

    // 2 000 one-shot callbacks, each a new function; main drops its proxy after calling it.
    let peak = 0;
    let called = 0;
    for (let i = 0; i < 2000; i++) {
      expect(await api.callMeBack(() => void called++, i)).toBe('called');
      peak = Math.max(peak, session.stats().callbacks);
      if (i % 100 === 99) await collectGarbage(2);
    }
    expect(called).toBe(2000);
    expect(await finalizersStalled(gc)).toBe(true); // still stalled: only sweeps freed anything
    expect(peak).toBeLessThanOrEqual(300);

    // The renderer heard about the freed ones and forgot them too.
    await until(() => client.connection.callbackCount <= 300, 2000, 'cbfree frames to reach the renderer');

    // The listener survived every sweep.
    await api.emit('kept', 42);
    await until(() => heard.length === 1, 2000, 'the kept listener to fire');
    expect(heard).toEqual([42]);
    client.close();
    await until(() => broker.stats().sessions === 0, 2000, 'session to close');
  });
});
