import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { config as rxConfig } from 'rxjs';
import { createBroker, type Broker, type Session } from '../../src/entries/main.js';
import { connect, fromRemoteEvent } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { answerable, frameCount, generatedBatch, messagesOf, MUTANTS } from './frame-arbitraries.js';
import type { Worker } from 'node:worker_threads';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage, startRenderer, until } from '../support/workers.js';
import { type Calc, failError, isTypedError, makeCalc, makePlayground, type Playground, rawTransport, type RawTransport, tick } from './harness.js';

/** Total frames the main property injects (the brief asks for at least 100k). */
const FRAMES = 100_000;
/** `REMORA_FUZZ_SEED=n` replays one run of either property (each prints its seed when it fails). */
const SEED = process.env.REMORA_FUZZ_SEED === undefined ? undefined : Number(process.env.REMORA_FUZZ_SEED);
const MAIN_KINDS = new Set(['welcome', 'ok', 'fail', 'cb', 'cbfree', 'next', 'error', 'complete']);
let uncaught: unknown[] = [];
const onUncaught = (e: unknown): void => {
  uncaught.push(e);
};
let stackTraceLimit = Error.stackTraceLimit;
beforeEach(() => {
  // Most answers are errors; source-mapped stack traces (vitest) would dominate the run time.
  stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  uncaught = [];
  rxConfig.onUnhandledError = onUncaught;
  process.on('unhandledRejection', onUncaught);
  process.on('uncaughtException', onUncaught);
});
let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
  Error.stackTraceLimit = stackTraceLimit;
  rxConfig.onUnhandledError = null;
  process.off('unhandledRejection', onUncaught);
  process.off('uncaughtException', onUncaught);
});

/** A session fed raw frames, greeted, holding a few refs to start from. */
function fuzzSession(broker: Broker): { raw: RawTransport; session: Session } {
  const raw = rawTransport({ clone: false });
  const session = broker.connect(raw.transport);
  raw.inject({ t: 'hello', v: PROTOCOL_VERSION, gen: 0, name: 'fuzzer' });
  raw.inject({
    t: 'batch',
    f: [
      { t: 'require', id: 1, name: 'api' },
      { t: 'require', id: 2, name: 'calc' },
      { t: 'get', id: 3, ref: 1, path: ['emitter'] },
      { t: 'apply', id: 4, ref: 1, path: ['makeCounter'], args: [1] },
      { t: 'get', id: 5, ref: 1, path: ['state'] },
    ],
  });
  return { raw, session };
}

async function wellBehaved(broker: Broker) {
  const pair = createMemoryPair();
  const session = broker.connect(pair.main);
  const client = connect(pair.renderer, { name: 'well-behaved' });
  const calc = await client.require<Calc>('calc');
  const syncCalc = client.remote.require<Calc>('calc');
  const counter = await calc.makeCounter(0);
  const api = await client.require<Playground>('api');
  const emitter = await api.emitter;
  const events: unknown[] = [];
  const sub = fromRemoteEvent<number>(emitter, 'victim-7c1e0d').subscribe((v) => events.push(v));
  await tick();
  // Every handle stays referenced for the whole run, so GC releases do not change the table.
  return { session, client, calc, syncCalc, counter, api, emitter, events, sub };
}

describe('frame fuzzing', () => {
  it('answers 100k random and mutated frames with typed errors, without throwing or touching another session', async () => {
    const broker = createBroker();
    // A renderer can make a call hang (pass a thenable as an argument to echo): the deadline ends it.
    const apiActor = broker.exposeModule('api', makePlayground, { mailbox: { deadlineMs: 500 } });
    broker.exposeModule('calc', makeCalc, { mailbox: { deadlineMs: 500 } }); // a renderer can make any call hang (a thenable argument)
    broker.exposeGlobal('config', Object.freeze({ theme: 'dark', sizes: Object.freeze([1, 2]) }));

    const good = await wellBehaved(broker);
    const baseline = good.session.stats();
    const heldRefs = Array.from({ length: 16 }, (_, i) => good.session.refs.get(i + 1));
    const emitterListeners = (apiActor.instance as Playground).emitter.listenerCount('victim-7c1e0d');

    let fuzz = fuzzSession(broker);
    await tick();
    let nextId = 100;
    let frames = 0;
    let checked = 0;
    let reconnects = 0;
    let goodCalls = 0;
    const codes = new Map<string, number>();
    let round = 0;
    const owed = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(generatedBatch, async ({ frames: generated, seed }) => {
        const msgs = messagesOf(generated, seed, () => nextId++);
        const expected: number[] = [];
        for (const m of msgs) {
          frames += frameCount(m);
          expected.push(...answerable(m, broker.limits));
        }
        const from = fuzz.raw.sent.length;
        const i = ++round;

        // The well-behaved renderer calls alongside: async, sync, a held handle and a stream.
        const calls = Promise.all([good.calc.add(i, 1), good.counter.inc(1), good.calc.echo({ i, list: [i, 'x'] })]);
        const syncSum = good.syncCalc.mul(i, 2);
        (apiActor.instance as Playground).emitter.emit('victim-7c1e0d', i);

        for (const m of msgs) fuzz.raw.inject(m); // Session.receive runs synchronously in here: it must not throw.
        await tick();

        const [sum, count, echoed] = await calls;
        expect(sum).toBe(i + 1);
        expect(count).toBe(i);
        expect(echoed).toEqual({ i, list: [i, 'x'] });
        expect(syncSum).toBe(i * 2);
        goodCalls += 4;
        expect(good.events.length).toBe(i);
        expect(good.events[i - 1]).toBe(i);
        // The other session's tables are exactly as they were.
        expect(good.session.stats()).toEqual(baseline);
        for (let r = 0; r < heldRefs.length; r++) if (good.session.refs.get(r + 1) !== heldRefs[r]) expect.fail(`ref ${r + 1} of the other session changed`);
        expect(uncaught).toEqual([]);

        if (fuzz.session.closed) {
          // A hello with a wrong version ends that session (by design); start another.
          expect(fuzz.session.closeReason?.kind).toBe('version');
          fuzz = fuzzSession(broker);
          owed.clear();
          reconnects++;
          await tick();
          // The new session's greeting replies (ids 1-5) are not answers to fuzzed frames: if this
          // was the last run, the final count must not see them.
          fuzz.raw.sent.length = 0;
          return;
        }
        // Every answerable frame is answered exactly once: now, or (for a call still running in
        // main) later. What is still owed is exactly what main has in flight for this session.
        for (const id of expected) owed.set(id, (owed.get(id) ?? 0) + 1);
        checked += expected.length;
        for (const f of fuzz.raw.sent.slice(from)) {
          // Nothing main sends is malformed.
          if (!MAIN_KINDS.has(f.t as string)) expect.fail(`main sent a frame of kind ${String(f.t)}`);
          if ((f.t !== 'ok' && f.t !== 'fail') || typeof f.id !== 'number' || f.id < 0) continue;
          const left = (owed.get(f.id) ?? 0) - 1;
          if (left < 0) expect.fail(`an unexpected or second reply to ${f.id}`);
          if (left === 0) owed.delete(f.id);
          else owed.set(f.id, left);
          if (f.t === 'fail') {
            const e = failError(f);
            if (!isTypedError(e)) expect.fail(`reply to ${f.id} is not a typed error: ${String(e)}`);
            const code = (e as unknown as { remoraCode: string }).remoraCode;
            codes.set(code, (codes.get(code) ?? 0) + 1);
          }
        }
        const stillOwed = [...owed.values()].reduce((a, b) => a + b, 0);
        expect(stillOwed).toBe(fuzz.session.stats().pending);
        expect(stillOwed).toBeLessThanOrEqual(broker.limits.maxPending);
        fuzz.raw.sent.length = 0;
      }),
      { numRuns: Math.ceil((FRAMES * 1.1) / (22 * (MUTANTS + 1))), seed: SEED },
    );
    // Calls a renderer made hang (e.g. by passing a thenable) end at the actor's deadline.
    await until(() => fuzz.session.stats().pending === 0, 10_000, 'hung fuzz calls to time out');
    await tick();
    for (const f of fuzz.raw.sent) {
      if ((f.t === 'ok' || f.t === 'fail') && typeof f.id === 'number' && f.id > 0) {
        owed.set(f.id, (owed.get(f.id) ?? 0) - 1);
        if (f.t === 'fail') expect(isTypedError(failError(f))).toBe(true);
      }
    }
    expect([...owed.values()].filter((n) => n !== 0)).toEqual([]);
    console.info(
      `[frame-fuzz] ${frames} frames, ${checked} answers checked, ${goodCalls} well-behaved calls, ${reconnects} sessions ended by a bad hello; fail codes: ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(frames).toBeGreaterThanOrEqual(FRAMES);
    expect(codes.get('E_PROTOCOL')).toBeGreaterThan(0);
    expect(uncaught).toEqual([]);

    // When the fuzzing session ends, main's tables hold only the well-behaved renderer.
    fuzz.session.close();
    await tick();
    expect(broker.stats()).toMatchObject({ sessions: 1, ...baseline });
    expect((apiActor.instance as Playground).emitter.listenerCount('victim-7c1e0d')).toBe(emitterListeners);
    good.sub.unsubscribe();
    good.client.close();
    await tick();
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0 });
  }, 180_000);

  it('survives 10k fuzzed frames through a real worker transport while a well-behaved worker works alongside', async () => {
    const broker = createBroker();
    broker.exposeModule('api', makePlayground, { mailbox: { deadlineMs: 500 } });
    broker.exposeModule('calc', makeCalc, { mailbox: { deadlineMs: 500 } }); // a renderer can make any call hang (a thenable argument)
    const good = startRenderer('reliability-good');
    const fuzzer = startRenderer('reliability-fuzz', { frames: 10_000, seed: SEED });
    workers.push(good, fuzzer);
    broker.connect(workerTransport(good));
    await nextMessage(good, (m) => m.ready);
    const goodReport = nextMessage(good, (m) => m.report, 120_000);
    good.postMessage({ cmd: 'run', untilStop: true });
    const fuzzReport = nextMessage(fuzzer, (m) => m.report, 120_000);
    broker.connect(workerTransport(fuzzer));

    const fr = await fuzzReport;
    good.postMessage({ cmd: 'stop' });
    const gr = await goodReport;
    console.info(`[frame-fuzz/worker] seed ${fr.seed}, ${fr.frames} frames; fail codes ${JSON.stringify(fr.codes)}; well-behaved worker made ${gr.calls} checked calls meanwhile`);
    const replay = `worker fuzzer seed ${fr.seed} (replay: REMORA_FUZZ_SEED=${fr.seed}); sent and received under the owed ids: ${JSON.stringify(fr.owedTrail)}`;
    expect(fr, replay).toMatchObject({ owed: [], unexpected: 0, untyped: 0, closed: false });
    expect(fr.frames).toBeGreaterThanOrEqual(10_000);
    expect(gr).toMatchObject({ wrong: [], errors: [] });
    expect(gr.calls).toBeGreaterThan(0);
    expect(uncaught).toEqual([]);

    await Promise.all([good.terminate(), fuzzer.terminate()]);
    await until(() => broker.stats().sessions === 0, 10_000, 'sessions to end');
    expect(broker.stats()).toMatchObject({ refs: 0, pending: 0, callbacks: 0, listeners: 0, subscriptions: 0, pipes: 0 });
  }, 180_000);
});
