/**
 * Connections that come and go must never stop V8 from running FinalizationRegistry callbacks
 * in their realm (specs/support/finalizer-stall.ts shows how a registry that dies with cleanup
 * pending stops them on Node 20). Real garbage collection; memory pairs in this process.
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { makePlayground, type Playground } from '../reliability/harness.js';
import { finalizersStalled } from '../support/finalizer-stall.js';

const gc = (globalThis as { gc?: () => void }).gc!;
const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('lifetime across many connections', () => {
  it("shares one registry across connections and never stops the engine's finalizers, however connections with collected handles and callbacks come and go", async () => {
    const broker = createBroker();
    broker.exposeModule('api', makePlayground);
    expect(await finalizersStalled(gc)).toBe(false);
    /** One connection that takes handles and passes a callback, drops them all, and closes. */
    const visit = async (round: number): Promise<ReturnType<typeof connect>> => {
      const pair = createMemoryPair();
      broker.connect(pair.main);
      const client = connect(pair.renderer);
      const api = await client.require<Playground>('api');
      await Promise.all(Array.from({ length: 5 }, (_, i) => api.makeCounter(i)));
      await api.callMeBack(() => undefined, round);
      return client;
    };
    // Count registries made from here on: connections must share the module's registries,
    // since one that dies with its connection while V8 has cleanup pending is the trigger.
    const Original = globalThis.FinalizationRegistry;
    let made = 0;
    globalThis.FinalizationRegistry = new Proxy(Original, {
      construct(target, args, newTarget) {
        made++;
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    try {
      await visit(-1).then((c) => c.close());
    } finally {
      globalThis.FinalizationRegistry = Original;
    }
    expect(made).toBe(0);
    for (let round = 0; round < 40; round++) {
      const clients = [await visit(round), await visit(round)];
      await turn();
      gc(); // dropped handles and callback proxies die while their connections live
      for (const c of clients) c.close();
      clients.length = 0;
      gc(); // the connections die before V8's cleanup task has run
      await turn();
    }
    expect(await finalizersStalled(gc)).toBe(false);
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, callbacks: 0 });
  });
});
