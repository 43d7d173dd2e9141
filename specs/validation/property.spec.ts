/**
 * A property over real worker threads: 10 000 random argument lists sent by a renderer to a
 * validated API never reach the implementation with data its schema rejects. What the
 * implementation received is checked against the schema afterwards, list by list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { createBroker } from '../../src/entries/main.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { type Seen, zodNotes, zodSchemas } from '../fixtures/validation-api.js';
import { startRenderer } from '../support/workers.js';

let worker: Worker;
let run: Awaited<ReturnType<typeof commander>>;
const seen: Seen = [];

beforeAll(async () => {
  const broker = createBroker({ limits: { maxPending: 2000 } });
  const api = zodNotes(seen);
  broker.exposeModule('notes', api.create, api.options);
  worker = startRenderer('validation');
  broker.connect(workerTransport(worker));
  run = await commander(worker);
});
afterAll(() => worker.terminate());

/** Near misses of `save(id, { text, tags? })` and arbitrary junk, with valid lists among them. */
const id = fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,64}$/), fc.string(), fc.constant('../../etc'), fc.integer(), fc.constant(null));
const body = fc.oneof(
  fc.record({ text: fc.string({ maxLength: 1100 }), tags: fc.option(fc.array(fc.string(), { maxLength: 7 }), { nil: undefined }) }, { requiredKeys: ['text'] }),
  fc.record({ text: fc.anything(), extra: fc.anything() }),
  fc.anything(),
);
const argList = fc.oneof(
  fc.tuple(id, body),
  fc.tuple(id, body, fc.anything()),
  fc.array(fc.anything(), { maxLength: 4 }),
);

describe('validated calls under random arguments (renderer in a worker thread)', () => {
  it('never lets data the schema rejects reach the implementation, over 10 000 random argument lists', async () => {
    const lists = fc.sample(argList, { numRuns: 10_000, seed: 20 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < lists.length; i += 1000) outcomes.push(...(await run('many', 'notes', 'save', lists.slice(i, i + 1000))));
    expect(outcomes).toHaveLength(10_000);
    const accepted = outcomes.filter((o) => o === 'ok').length;
    expect(seen).toHaveLength(accepted);
    for (const s of seen) {
      const parsed = zodSchemas.save.args.safeParse(s.args);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(s.args);
    }
    // Both kinds of outcome occurred: the property is not vacuous.
    expect(accepted).toBeGreaterThan(100);
    expect(outcomes.filter((o) => o === 'E_BAD_ARGS').length).toBeGreaterThan(1000);
  }, 120_000);
});
