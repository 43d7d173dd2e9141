import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';

class Thing {
  ping(): string {
    return 'pong';
  }
}

/** Values main tries to send that cannot travel after a by-ref object was already encoded. */
function setup() {
  const values = new Subject<unknown>();
  const broker = createBroker();
  broker.exposeModule('api', () => ({
    later: () => ({ thing: Promise.resolve([new Thing(), Symbol('no')]) }),
    callMe(fn: (...a: unknown[]) => void) {
      fn(new Thing(), Symbol('no'));
      return 'called';
    },
    values: () => values,
  }));
  const { main, renderer } = createMemoryPair();
  const session = broker.connect(main);
  const client = connect(renderer);
  return { broker, session, client, values };
}

type Api = { later(): { thing: Promise<unknown> }; callMe(fn: (...a: unknown[]) => void): string; values(): Subject<unknown> };

describe('values that fail to encode', () => {
  it('give back the refs a callback invocation had already created', async () => {
    const { session, client } = setup();
    const api = await client.require<Api>('api');
    const base = session.stats().refs;
    expect(await api.callMe(() => undefined)).toBe('called');
    await new Promise((r) => setTimeout(r, 10));
    expect(session.stats().refs).toBe(base);
  });

  it('give back the refs of a promise settled later with a value that cannot travel', async () => {
    const { session, client } = setup();
    const api = await client.require<Api>('api');
    const base = session.stats().refs;
    const r = (await api.later()) as unknown as { thing: Promise<unknown> };
    await expect(r.thing).rejects.toMatchObject({ code: 'E_BAD_VALUE' });
    expect(session.stats().refs).toBe(base);
  });

  it('give back the refs of a stream value that cannot travel, and end the stream with the error', async () => {
    const { session, client, values } = setup();
    const api = await client.require<Api>('api');
    const obs = (await api.values()) as unknown as import('rxjs').Observable<unknown>;
    const base = session.stats().refs;
    const failed = new Promise((resolve) => obs.subscribe({ error: resolve }));
    await until(() => session.stats().subscriptions === 1, 2000, 'the subscription');
    values.next([new Thing(), Symbol('no')]);
    expect(await failed).toMatchObject({ code: 'E_BAD_VALUE' });
    expect(session.stats().refs).toBe(base);
  });
});
