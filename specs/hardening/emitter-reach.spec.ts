/**
 * Issue 16 item 5: no cross-session reach through an exposed EventEmitter. Renderer B must
 * not obtain renderer A's callbacks or main's own listeners (`rawListeners`, `listeners`,
 * `_events`), nor end A's subscription (`removeAllListeners`). Real worker renderers.
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { until } from '../support/workers.js';
import { crashDetector, hostileRenderer, type Outcome, settle } from './support.js';

let workers: Worker[] = [];
let detector: ReturnType<typeof crashDetector> | undefined;
afterEach(async () => {
  detector?.dispose();
  detector = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

class Bus extends EventEmitter {
  _mine = 'a subclass field';
}

describe('an exposed EventEmitter shared by two renderers', () => {
  it('hands renderer B neither A\'s callbacks nor main\'s listeners, and B cannot end A\'s subscription', async () => {
    detector = crashDetector();
    const broker = createBroker();
    const emitter = new Bus();
    const mainSaw: unknown[] = [];
    emitter.on('x', (v: unknown) => mainSaw.push(v));
    broker.exposeModule('bus', () => ({ emitter }));
    const a = await hostileRenderer(broker, workers, 'a');
    const b = await hostileRenderer(broker, workers, 'b');
    expect((await a.run<Outcome>('call', 'bus', ['emitter', 'on'], ['x', { $: 'callback', key: 'a' }])).ok).toBe(true);
    await a.run('onEvent', 'stream', 'bus', ['emitter'], 'x');
    await until(() => emitter.listenerCount('x') === 3, 5000, 'three listeners');

    const attacks: Array<[string, Outcome]> = [
      ['rawListeners', await b.run<Outcome>('callEach', 'bus', ['emitter', 'rawListeners'], ['x'], ['from-b'])],
      ['listeners', await b.run<Outcome>('callEach', 'bus', ['emitter', 'listeners'], ['x'], ['from-b'])],
      ['_events.x()', await b.run<Outcome>('call', 'bus', ['emitter', '_events', 'x'], ['from-b'])],
      ['_events', await b.run<Outcome>('read', 'bus', ['emitter', '_events'])],
      ['_eventsCount', await b.run<Outcome>('read', 'bus', ['emitter', '_eventsCount'])],
      ['removeAllListeners', await b.run<Outcome>('call', 'bus', ['emitter', 'removeAllListeners'], ['x'])],
      ['removeAllListeners()', await b.run<Outcome>('call', 'bus', ['emitter', 'removeAllListeners'], [])],
    ];
    for (const [what, o] of attacks) expect({ what, ok: o.ok, code: o.error?.remoraCode }).toEqual({ what, ok: false, code: 'E_DENIED' });

    await settle(100);
    expect(emitter.listenerCount('x')).toBe(3);
    expect(mainSaw).toEqual([]);
    expect(await a.run('received')).toEqual([]);
    expect(await a.run('events')).toEqual([]);
    // A is still subscribed and served.
    emitter.emit('x', 'from-main');
    await until(() => mainSaw.length === 1);
    const end = Date.now() + 5000;
    while ((await a.run<unknown[]>('events')).length === 0 && Date.now() < end) await settle(20);
    expect(await a.run('events')).toEqual([{ key: 'stream', kind: 'next', value: 'from-main' }]);
    // What B may still do: count listeners, add and remove its own.
    expect(await b.run<Outcome>('call', 'bus', ['emitter', 'listenerCount'], ['x'])).toEqual({ ok: true, value: 3 });
    expect(detector.text()).toEqual([]);
  });
});
