import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { createBroker } from '../../src/entries/main.js';
import { connect, withOptions } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';

type Api = { hang(): Promise<void>; ping(): string };

function setup(mode: 'serial' | 'concurrent') {
  const broker = createBroker();
  const actor = broker.exposeModule('api', (): Api => ({ hang: () => new Promise<void>(() => undefined), ping: () => 'pong' }), {
    mailbox: { mode, maxConcurrent: 2 },
  });
  const open = () => {
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    return connect(renderer);
  };
  return { broker, actor, open };
}

describe('calls whose caller is gone', () => {
  it('frees the mailbox slots of never-settling calls when their renderer goes away', async () => {
    const { broker, actor, open } = setup('concurrent');
    const a = open();
    const api = await a.require<Api>('api');
    void api.hang();
    void api.hang();
    await until(() => actor.running === 2, 2000, 'two hung calls');
    a.close();
    await until(() => broker.stats().sessions === 0, 2000, 'session close');
    expect(actor.running).toBe(0);
    const b = open();
    expect(await (await b.require<Api>('api')).ping()).toBe('pong');
  });

  it('frees the slot of a call its caller cancelled, and the caller sees E_ABORTED', async () => {
    const { actor, open } = setup('concurrent');
    const api = await open().require<Api>('api');
    const ac = new AbortController();
    const p = withOptions(api, { signal: ac.signal }).hang();
    await until(() => actor.running === 1, 2000, 'hung call');
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
    await until(() => actor.running === 0, 2000, 'slot freed');
  });

  it('keeps a serial actor busy until the running call settles (no overlap after a cancel)', async () => {
    const { actor, open } = setup('serial');
    const api = await open().require<Api>('api');
    const ac = new AbortController();
    const p = withOptions(api, { signal: ac.signal }).hang();
    await until(() => actor.running === 1, 2000, 'hung call');
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
    const ping = withOptions(api, { timeout: 200 }).ping();
    await expect(ping).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(actor.running).toBe(1);
    expect(actor.queued).toBe(1);
  });

  it('never runs a queued call whose renderer left: no listener lands on an emitter after the session ended', async () => {
    const broker = createBroker();
    const emitter = new EventEmitter();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const actor = broker.exposeModule('svc', () => ({ emitter, wait: () => gate }), { mailbox: { mode: 'serial' } });
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    const client = connect(renderer);
    const svc = await client.require<{ emitter: EventEmitter; wait(): Promise<void> }>('svc');
    void svc.wait();
    const on = svc.emitter.on('x', () => undefined);
    await until(() => actor.running === 1 && actor.queued === 1, 2000, 'a running and a queued call');
    client.close();
    await until(() => broker.stats().sessions === 0, 2000, 'session close');
    release();
    await until(() => actor.running === 0 && actor.queued === 0, 2000, 'the mailbox to drain');
    expect(emitter.listenerCount('x')).toBe(0);
    await expect(on).rejects.toMatchObject({ code: 'E_CLOSED' });
  });
});
