import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { InspectEvent } from '../../src/actor/inspect.js';
import { createBroker, type Broker } from '../../src/entries/main.js';
import { decode, PROTOCOL_VERSION } from '../../src/protocol/index.js';
import { connect } from '../../src/renderer/index.js';
import type { Transport } from '../../src/transport.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { commander } from '../fixtures/core-harness.js';
import { makeApi } from '../fixtures/shared-api.js';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';

type Frame = Record<string, any>;

/** A renderer that speaks raw frames: whatever the spec sends reaches main as is. */
function rawRenderer(broker: Broker) {
  const { main, renderer } = createMemoryPair();
  const session = broker.connect(main);
  const inbox: Frame[] = [];
  let closed = false;
  renderer.messages$.subscribe((m) => {
    const f = m as Frame;
    if (f.t === 'batch') inbox.push(...(f.f as Frame[]));
    else inbox.push(f);
  });
  renderer.closed$.subscribe(() => (closed = true));
  const reply = async (id: number): Promise<Frame> => {
    await until(() => inbox.some((f) => f.id === id && (f.t === 'ok' || f.t === 'fail')), 5000, `reply to ${id}`);
    return inbox.find((f) => f.id === id && (f.t === 'ok' || f.t === 'fail'))!;
  };
  /** The error of a `fail` reply, decoded. */
  const failure = async (id: number): Promise<{ code: string; message: string }> => {
    const f = await reply(id);
    expect(f.t, `reply to ${id} should be a fail, got ${JSON.stringify(f)}`).toBe('fail');
    return decode(f.e, { reference: () => undefined }) as { code: string; message: string };
  };
  return { session, renderer, inbox, reply, failure, send: (m: unknown) => renderer.send(m), isClosed: () => closed };
}

let subs: Subscription[] = [];
afterEach(() => {
  for (const s of subs) s.unsubscribe();
  subs = [];
});

function setup(limits: Parameters<typeof createBroker>[0] = {}) {
  const broker = createBroker(limits);
  const calls: unknown[][] = [];
  broker.exposeModule('api', () => ({ ...makeApi(), record: (...a: unknown[]) => (calls.push(a), a.length) }));
  const events: InspectEvent[] = [];
  subs.push(broker.inspect$.subscribe((e) => events.push(e)));
  const dropped = () => events.filter((e) => e.kind === 'dropped');
  return { broker, calls, events, dropped };
}

/** A greeted raw renderer holding a root ref to module `api` (ref id returned). */
async function greeted(broker: Broker) {
  const r = rawRenderer(broker);
  r.send({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
  r.send({ t: 'require', id: 1, name: 'api' });
  const ok = await r.reply(1);
  expect(ok.t).toBe('ok');
  expect(ok.v[0]).toBe('r');
  return { ...r, api: ok.v[1] as number };
}

describe('bad input into a live broker', () => {
  it('refuses requests before the hello handshake, and drops id-less frames', async () => {
    const { broker, dropped } = setup();
    const r = rawRenderer(broker);
    r.send({ t: 'require', id: 1, name: 'api' });
    expect(await r.failure(1)).toMatchObject({ code: 'E_PROTOCOL', message: expect.stringMatching(/hello/) });
    r.send({ t: 'release', refs: [1, 1] });
    await until(() => dropped().length === 1, 5000, 'dropped event');
    expect(broker.stats()).toMatchObject({ sessions: 1, refs: 0, pending: 0 });
    // The handshake still works afterwards.
    r.send({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 });
    r.send({ t: 'require', id: 2, name: 'api' });
    expect((await r.reply(2)).t).toBe('ok');
  });

  it('answers a hello with the wrong protocol version with E_VERSION and closes the session', async () => {
    const { broker } = setup();
    const r = rawRenderer(broker);
    r.send({ t: 'hello', v: PROTOCOL_VERSION + 1, gen: 0 });
    await until(() => r.inbox.some((f) => f.t === 'bye'), 5000, 'bye');
    expect(r.inbox.find((f) => f.t === 'bye')!.reason).toMatch(/^E_VERSION/);
    await until(() => r.isClosed(), 5000, 'transport closed');
    expect(broker.stats().sessions).toBe(0);
  });

  it('makes a real renderer\'s ready promise and pending calls fail with E_VERSION on a version mismatch', async () => {
    const { broker } = setup();
    const { main, renderer } = createMemoryPair();
    broker.connect(main);
    // A renderer from another release: same client, different version number in its hello.
    const lying: Transport = {
      messages$: renderer.messages$,
      closed$: renderer.closed$,
      close: (r) => renderer.close(r),
      send: (m) => {
        const rewrite = (f: Frame): Frame => (f.t === 'hello' ? { ...f, v: 99 } : f);
        const frame = m as Frame;
        renderer.send(frame.t === 'batch' ? { ...frame, f: (frame.f as Frame[]).map(rewrite) } : rewrite(frame));
      },
    };
    const client = connect(lying);
    const pending = client.require('api');
    await expect(client.ready).rejects.toMatchObject({ code: 'E_VERSION' });
    await expect(pending).rejects.toMatchObject({ code: 'E_VERSION' });
    expect(broker.stats().sessions).toBe(0);
  });

  it('gives a renderer in a worker thread E_VERSION on a version mismatch', async () => {
    const { broker } = setup();
    const w = startRenderer('core-version');
    try {
      const report = nextMessage(w, (m) => 'version' in m);
      broker.connect(workerTransport(w));
      expect((await report).version).toEqual({ ready: 'E_VERSION', call: 'E_VERSION' });
      await until(() => broker.stats().sessions === 0, 5000, 'session closed');
    } finally {
      await w.terminate();
    }
  });

  it('answers raw bad frames from a renderer in a worker thread with typed fails, and stays healthy', async () => {
    const { broker, calls, dropped } = setup({ limits: { maxFrameBytes: 4096 } });
    const w = startRenderer('core-raw');
    try {
      broker.connect(workerTransport(w));
      const run = await commander(w);
      await run('send', [
        { t: 'hello', v: PROTOCOL_VERSION, gen: 0 },
        { t: 'require', id: 1, name: 'api' },
        { t: 'require', id: 2, name: 'fs' },
        { t: 'get', id: 3, ref: 9999, path: [] },
        { t: 'apply', id: 4, ref: 1, path: ['record'], args: [['o', '__proto__', 1]] },
        { t: 'apply', id: 5, ref: 1, path: ['record'], args: ['x'.repeat(5000)] },
        { t: 'explode', id: 6 },
        { t: 'get', id: 7, ref: 1 },
        'garbage',
        { t: 'apply', id: 8, ref: 1, path: ['add'], args: [2, 2] },
      ]);
      let inbox: Frame[] = [];
      const code = (id: number) => (decode(inbox.find((f) => f.id === id)!.e, { reference: () => undefined }) as { code: string }).code;
      for (let i = 0; i < 200 && !inbox.some((f) => f.id === 8); i++) inbox = await run('inbox');
      expect(code(2)).toBe('E_DENIED');
      expect(code(3)).toBe('E_NO_OBJECT');
      expect(code(4)).toBe('E_PROTOCOL');
      expect(code(5)).toBe('E_FRAME_TOO_LARGE');
      expect(code(6)).toBe('E_PROTOCOL');
      expect(code(7)).toBe('E_PROTOCOL');
      expect(inbox.find((f) => f.id === 8)).toMatchObject({ t: 'ok', v: 4 });
      expect(dropped()).toHaveLength(1);
      expect(calls).toEqual([]);
      expect(broker.stats()).toMatchObject({ sessions: 1, refs: 1, pending: 0, pipes: 0 });
    } finally {
      await w.terminate();
    }
  });

  describe('after the handshake', () => {
    const withId: Array<[string, (api: number) => Frame, string]> = [
      ['an unknown kind', () => ({ t: 'explode', id: 50 }), 'E_PROTOCOL'],
      ['a request with a text ref', () => ({ t: 'get', id: 50, ref: 'x', path: [] }), 'E_PROTOCOL'],
      ['a request with a path that is not an array', (api) => ({ t: 'get', id: 50, ref: api, path: 'add' }), 'E_PROTOCOL'],
      ['a call whose args are not an array', (api) => ({ t: 'apply', id: 50, ref: api, path: ['add'], args: 'oops' }), 'E_PROTOCOL'],
      ['a require with a numeric name', () => ({ t: 'require', id: 50, name: 12 }), 'E_PROTOCOL'],
      ['an unknown ref id', () => ({ t: 'get', id: 50, ref: 9999, path: [] }), 'E_NO_OBJECT'],
      ['an unknown ref id inside the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['h', 9999]] }), 'E_NO_OBJECT'],
      ['a pipelined request on nothing', () => ({ t: 'get', id: 50, on: 777, path: [] }), 'E_PROTOCOL'],
      ['a "__proto__" key in the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['o', '__proto__', ['o', 'x', 1]]] }), 'E_PROTOCOL'],
      ['a "__proto__" key in a set value', (api) => ({ t: 'set', id: 50, ref: api, path: ['n'], value: ['o', '__proto__', 1] }), 'E_PROTOCOL'],
      ['an unknown tag in the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['zz']] }), 'E_PROTOCOL'],
      ['a main-only tag in the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['r', 1, 'o']] }), 'E_PROTOCOL'],
      ['a promise tag in the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['p', 3]] }), 'E_PROTOCOL'],
      ['a bad back-reference in the args', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['a', ['#', 4]]] }), 'E_PROTOCOL'],
      ['an oversized string argument', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: ['x'.repeat(5000)] }), 'E_FRAME_TOO_LARGE'],
      ['an oversized nested payload', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['a', ...new Array(100).fill('y'.repeat(60))]] }), 'E_FRAME_TOO_LARGE'],
      ['an oversized binary payload', (api) => ({ t: 'apply', id: 50, ref: api, path: ['record'], args: [['t', 'Uint8Array', new Uint8Array(5000)]] }), 'E_FRAME_TOO_LARGE'],
      ['a payload nested too deep', (api) => {
        let w: unknown = 1;
        for (let i = 0; i < 20; i++) w = ['a', w];
        return { t: 'apply', id: 50, ref: api, path: ['record'], args: [w] };
      }, 'E_TOO_DEEP'],
    ];

    it.each(withId)('answers %s with a typed fail and leaves main\'s tables as they were', async (_what, make, code) => {
      const { broker, calls } = setup({ limits: { maxFrameBytes: 4096, maxDepth: 16 } });
      const r = await greeted(broker);
      const before = broker.stats();
      r.send(make(r.api));
      expect((await r.failure(50)).code).toBe(code);
      expect(broker.stats()).toEqual(before);
      expect(calls).toEqual([]); // nothing reached the main-side object
      // The session is still healthy.
      r.send({ t: 'apply', id: 51, ref: r.api, path: ['add'], args: [2, 3] });
      expect(await r.reply(51)).toMatchObject({ t: 'ok', v: 5 });
      expect(broker.stats()).toEqual(before);
    });

    it('refuses a malformed frame inside a batch without losing the rest of the batch', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      r.send({ t: 'batch', f: [{ t: 'get', id: 60 }, 'junk', { t: 'apply', id: 61, ref: r.api, path: ['add'], args: [1, 1] }] });
      expect((await r.failure(60)).code).toBe('E_PROTOCOL');
      expect(await r.reply(61)).toMatchObject({ t: 'ok', v: 2 });
    });

    const withoutId: Array<[string, unknown]> = [
      ['a string', 'hello?'],
      ['null', null],
      ['a number', 42],
      ['an unknown kind without id', { t: 'explode' }],
      ['a frame without kind', { id: 'x' }],
      ['a release with odd pairs', { t: 'release', refs: [1] }],
      ['a release with text ids', { t: 'release', refs: ['1', '1'] }],
      ['a batch that is not a list', { t: 'batch', f: 'x' }],
      ['a batch over the limit', { t: 'batch', f: new Array(11).fill({ t: 'cancel', id: 1 }) }],
    ];

    it.each(withoutId)('drops %s with an inspection "dropped" event and leaves the tables as they were', async (_what, frame) => {
      const { broker, dropped } = setup({ limits: { maxBatch: 10 } });
      const r = await greeted(broker);
      const before = broker.stats();
      r.send(frame);
      await until(() => dropped().length === 1, 5000, 'dropped event');
      expect(dropped()[0]).toMatchObject({ session: r.session.id, detail: expect.stringMatching(/E_PROTOCOL/) });
      expect(broker.stats()).toEqual(before);
      expect(r.inbox.filter((f) => f.t === 'fail')).toEqual([]);
      r.send({ t: 'apply', id: 70, ref: r.api, path: ['add'], args: [20, 22] });
      expect(await r.reply(70)).toMatchObject({ t: 'ok', v: 42 });
    });

    it.each([
      ['an unknown ref', (_api: number) => ({ t: 'sub', id: 77, ref: 9999, path: [] }), 'E_NO_OBJECT'],
      ['a value that is not a stream', (api: number) => ({ t: 'sub', id: 77, ref: api, path: ['version'] }), 'E_BAD_VALUE'],
      ['a blocked key', (api: number) => ({ t: 'sub', id: 77, ref: api, path: ['constructor'], event: 'x' }), 'E_DENIED'],
      ['a pipelined base that does not exist', () => ({ t: 'sub', id: 77, on: 4242, path: [] }), 'E_PROTOCOL'],
    ])('ends a subscription to %s with a typed stream error and no table entry', async (_what, make, code) => {
      const { broker } = setup();
      const r = await greeted(broker);
      const before = broker.stats();
      r.send(make(r.api));
      await until(() => r.inbox.some((f) => f.t === 'error' && f.id === 77), 5000, 'stream error');
      const e = decode(r.inbox.find((f) => f.t === 'error' && f.id === 77)!.e, { reference: () => undefined }) as { code: string };
      expect(e.code).toBe(code);
      expect(broker.stats()).toEqual(before);
    });

    it('ignores cancel, unsub and ack for ids it does not know, leaving the tables as they were', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      const before = broker.stats();
      r.send({ t: 'batch', f: [{ t: 'cancel', id: 4040 }, { t: 'unsub', id: 4041 }, { t: 'ack', id: 4042, n: 10 }] });
      r.send({ t: 'apply', id: 99, ref: r.api, path: ['add'], args: [1, 2] });
      expect(await r.reply(99)).toMatchObject({ t: 'ok', v: 3 });
      expect(broker.stats()).toEqual(before);
      expect(r.inbox.filter((f) => f.t === 'fail' || f.t === 'error')).toEqual([]);
    });

    it('ignores releases of unknown ref ids without touching held refs', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      const before = broker.stats();
      r.send({ t: 'release', refs: [9999, 1, 12345, 7] });
      r.send({ t: 'get', id: 80, ref: r.api, path: ['emitter'] });
      expect((await r.reply(80)).t).toBe('ok');
      expect(broker.stats().refs).toBe(before.refs + 1);
    });

    it('refuses a second request reusing the id of one still in flight', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      r.send({ t: 'batch', f: [
        { t: 'apply', id: 90, ref: r.api, path: ['slow'], args: [21, 50] },
        { t: 'apply', id: 90, ref: r.api, path: ['add'], args: [1, 2] },
      ] });
      await until(() => r.inbox.filter((f) => f.id === 90).length === 2, 5000, 'both replies');
      const replies = r.inbox.filter((f) => f.id === 90);
      expect(replies[0]!.t).toBe('fail');
      expect((decode(replies[0]!.e, { reference: () => undefined }) as { code: string }).code).toBe('E_PROTOCOL');
      expect(replies[1]).toMatchObject({ t: 'ok', v: 42 });
    });

    it('leaves no pipeline entry behind when a request announces dependents that never come', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      const before = broker.stats();
      r.send({ t: 'apply', id: 96, ref: r.api, path: ['makeCounter'], args: [1], k: 5 });
      expect((await r.reply(96)).t).toBe('ok');
      r.send({ t: 'release', refs: [(await r.reply(96)).v[1], 1] });
      // A dependent in a later message cannot reach it: pipelining is within one message.
      r.send({ t: 'apply', id: 97, on: 96, path: ['inc'], args: [1] });
      expect((await r.failure(97)).code).toBe('E_PROTOCOL');
      expect(broker.stats()).toEqual(before);
    });

    it('never lets a "__proto__" key pollute main', async () => {
      const { broker } = setup();
      const r = await greeted(broker);
      r.send({ t: 'apply', id: 95, ref: r.api, path: ['echo'], args: [['o', '__proto__', ['o', 'polluted', true]]] });
      expect((await r.failure(95)).code).toBe('E_PROTOCOL');
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
    });

    it('gives a ref id from another session E_NO_OBJECT', async () => {
      const { broker } = setup();
      const a = await greeted(broker);
      a.send({ t: 'batch', f: [
        { t: 'apply', id: 2, ref: a.api, path: ['makeCounter'], args: [1] },
        { t: 'apply', id: 3, ref: a.api, path: ['makeCounter'], args: [2] },
      ] });
      const foreign = (await a.reply(3)).v[1] as number;
      expect(foreign).toBeGreaterThan(1);
      const b = await greeted(broker);
      const before = broker.stats();
      b.send({ t: 'apply', id: 2, ref: foreign, path: ['inc'], args: [1] });
      expect((await b.failure(2)).code).toBe('E_NO_OBJECT');
      b.send({ t: 'release', refs: [foreign, 1] });
      b.send({ t: 'apply', id: 3, ref: b.api, path: ['add'], args: [0, 0] });
      await b.reply(3);
      expect(broker.stats()).toEqual(before); // B's release of A's id freed nothing of A's
      a.send({ t: 'apply', id: 4, ref: foreign, path: ['inc'], args: [1] });
      expect(await a.reply(4)).toMatchObject({ t: 'ok', v: 3 });
    });
  });
});
