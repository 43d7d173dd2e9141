/**
 * Issue 16 item 4: a caller's bad input is never charged to the supervisor. Over real worker
 * renderers: values that cannot become text (`{ toString: 0 }`) sent to the README's `add` or as
 * a state actor's action name are refused as the caller's fault, and a restart-strategy actor
 * keeps running, unrestarted, for everyone.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor/actor.js';
import { createBroker } from '../../src/entries/main.js';
import { isCallerFault } from '../../src/errors.js';
import { stateActor } from '../../actors/state-actor.js';
import { crashDetector, hostileRenderer, type Outcome, settle } from './support.js';

let workers: Worker[] = [];
let detector: ReturnType<typeof crashDetector> | undefined;
afterEach(async () => {
  detector?.dispose();
  detector = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

describe('bad arguments from a renderer', () => {
  it('never stop or restart the README\'s restart-strategy api, however many times they are sent', async () => {
    detector = crashDetector();
    const broker = createBroker();
    const actor = broker.exposeModule('api', () => ({ add: (a: number, b: number) => a + b }), { supervision: { strategy: 'restart' } }) as Actor;
    const bad = await hostileRenderer(broker, workers, 'bad');
    const good = await hostileRenderer(broker, workers, 'good');
    for (const args of [[{ $: 'toString0' }, 1], [1, { $: 'valueOf0' }], [[{ $: 'toString0' }], 2], [{ nested: [{ $: 'toString0' }] }, 3], [{ $: 'toString0' }, { $: 'toString0' }]]) {
      const o = await bad.run<Outcome>('call', 'api', ['add'], args);
      expect(o.ok).toBe(false);
      expect(isCallerFault(o.error?.remoraCode), JSON.stringify(o)).toBe(true);
    }
    await settle();
    expect(actor.state).toBe('running');
    expect(actor.incarnation).toBe(0);
    expect(await good.run<Outcome>('call', 'api', ['add'], [2, 3])).toEqual({ ok: true, value: 5 });
    expect(detector.text()).toEqual([]);
  });

  it('refuses a state actor action name that cannot become text as the caller\'s fault, uncounted', async () => {
    detector = crashDetector();
    const broker = createBroker();
    const counter = stateActor({ n: 0 }, { add(d, by: number) { d.n += by; } });
    const actor = counter.expose(broker, 'counter', { supervision: { strategy: 'restart', maxRestarts: 1 } });
    const r = await hostileRenderer(broker, workers);
    for (let i = 0; i < 4; i++) {
      const o = await r.run<Outcome>('call', 'global:counter', ['dispatch'], [{ $: 'toString0' }, 1]);
      expect(o.ok).toBe(false);
      expect(['E_BAD_VALUE', 'E_UNKNOWN_ACTION'], JSON.stringify(o)).toContain(o.error?.remoraCode);
    }
    // Main-side code dispatching such a name gets the state actor's own refusal.
    await expect((counter.dispatch as (...a: unknown[]) => Promise<number>)({ toString: 0 }, 1)).rejects.toMatchObject({ remoraCode: 'E_UNKNOWN_ACTION' });
    await settle();
    expect(actor.state).toBe('running');
    expect(actor.incarnation).toBe(0);
    expect(await r.run<Outcome>('call', 'global:counter', ['dispatch'], ['add', 2])).toEqual({ ok: true, value: 1 });
    expect(detector.text()).toEqual([]);
  });
});
