/** Driving `specs/fixtures/supervision-client.renderer.ts` workers from a spec. */
import type { Worker } from 'node:worker_threads';
import type { Broker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { nextMessage, startRenderer } from '../support/workers.js';

/** What the fixture reports per call. */
export interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; code: string; remoraCode: string };
}

let tags = 0;

/** A connected supervision renderer. */
export async function renderer(broker: Broker, workers: Worker[], name = 'r') {
  const w = startRenderer('supervision-client', { name });
  workers.push(w);
  const session = broker.connect(workerTransport(w));
  await nextMessage(w, (m) => m.ready);

  /** Send a command; `at(i)` resolves with call i's outcome as soon as it settles. */
  const command = (msg: Record<string, unknown>) => {
    const tag = ++tags;
    const results = new Map<number, Outcome>();
    const waiters = new Map<number, (o: Outcome) => void>();
    let finish!: (m: any) => void;
    const finished = new Promise<any>((r) => (finish = r));
    const onMessage = (m: any): void => {
      if (!m || m.tag !== tag) return;
      if (m.done) {
        w.off('message', onMessage);
        finish(m);
        return;
      }
      const o: Outcome = { ok: m.ok, value: m.value, error: m.error };
      results.set(m.index, o);
      waiters.get(m.index)?.(o);
    };
    w.on('message', onMessage);
    w.postMessage({ ...msg, tag });
    const at = (i: number): Promise<Outcome> =>
      results.has(i) ? Promise.resolve(results.get(i)!) : new Promise((r) => waiters.set(i, r));
    return { at, results, finished };
  };

  /** Make every call in one tick (one batch); resolves with all outcomes in call order. */
  const burst = async (module: string, ...calls: [string, ...unknown[]][]) => {
    const c = command({ cmd: 'burst', module, calls });
    await c.finished;
    return calls.map((_, i) => c.results.get(i)!);
  };

  /** One call. */
  const call = async (module: string, method: string, ...args: unknown[]) => (await burst(module, [method, ...args]))[0]!;

  /** A single-outcome command (`require`, `derive`, `derived`, `missing`). */
  const one = (msg: Record<string, unknown>) => command(msg).at(0);

  return { w, session, command, burst, call, one };
}

/** The code a failed outcome carries (remora's own codes, or the thrown error's). */
export const codeOf = (o: Outcome): string | undefined => o.error?.code;
