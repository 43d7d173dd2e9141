/**
 * Validation of what renderers send, across real worker threads, with two schema libraries
 * (zod 4 and valibot 1) behind the same Standard Schema interface: refused calls never reach
 * the implementation, for async, sync and pipelined calls and property writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { createBroker } from '../../src/entries/main.js';
import type { InspectEvent } from '../../src/main/index.js';
import { workerTransport } from '../../src/transports/worker.js';
import { commander } from '../fixtures/core-harness.js';
import { docSchemas, NoteDoc, type Seen, valibotNotes, zodNotes } from '../fixtures/validation-api.js';
import { startRenderer } from '../support/workers.js';

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

const libraries = [
  { lib: 'zod', notes: zodNotes, doc: docSchemas.zod },
  { lib: 'valibot', notes: valibotNotes, doc: docSchemas.valibot },
] as const;

describe.each(libraries)('validation with $lib schemas (renderer in a worker thread)', ({ notes, doc }) => {
  async function setup() {
    const seen: Seen = [];
    const broker = createBroker();
    const events: InspectEvent[] = [];
    broker.inspect$.subscribe((e) => events.push(e));
    const api = notes(seen);
    broker.exposeModule('notes', api.create, { ...api.options, objects: [{ of: NoteDoc, ...doc }], validateTimeoutMs: 300 });
    broker.exposeModule('loose', api.create, { schemas: api.schemas });
    const w = startRenderer('validation');
    workers.push(w);
    broker.connect(workerTransport(w));
    return { seen, events, run: await commander(w) };
  }

  it('lets a call whose arguments pass reach the implementation with the schema output', async () => {
    const { run, seen } = await setup();
    expect(await run('call', 'notes', 'save', ['a-1', { text: 'hello', extra: 'dropped' }])).toEqual({ ok: true, value: { id: 'a-1', length: 5 } });
    expect(seen).toEqual([{ method: 'save', args: ['a-1', { text: 'hello' }] }]);
  });

  it('refuses arguments that fail the schema with E_BAD_ARGS and their issues, and never runs the implementation', async () => {
    const { run, seen, events } = await setup();
    const r = await run('call', 'notes', 'save', ['../../etc', { text: 'x'.repeat(2000) }]);
    expect(r).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    expect(r.issues.map((i: { path: unknown[] }) => i.path)).toEqual(expect.arrayContaining([[0], [1, 'text']]));
    expect(r.issues.every((i: { message: unknown }) => typeof i.message === 'string' && i.message.length > 0)).toBe(true);
    expect(r.message).toContain('save');
    expect(await run('call', 'notes', 'save', ['ok', { text: 'x' }, 'third'])).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    expect(await run('call', 'notes', 'open', [{ id: 'ok' }])).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    // Data with an own toString/valueOf key is refused earlier still, by the decoder (issue 16 item 4).
    expect(await run('call', 'notes', 'open', [{ toString: 'ok' }])).toMatchObject({ ok: false, code: 'E_BAD_VALUE' });
    expect(seen).toEqual([]);
    expect(events.filter((e) => e.kind === 'refused').map((e) => [e.actor, e.op, e.detail?.slice(0, 11)])).toEqual([
      ['module/notes', 'apply', 'E_BAD_ARGS:'], ['module/notes', 'apply', 'E_BAD_ARGS:'], ['module/notes', 'apply', 'E_BAD_ARGS:'],
    ]);
    // The caller's fault: the actor never saw the calls, so nothing failed or restarted.
    expect(events.some((e) => e.kind === 'failed' || e.kind === 'restarting' || e.kind === 'started')).toBe(false);
  });

  it('checks synchronous calls the same way', async () => {
    const { run, seen } = await setup();
    expect(await run('syncCall', 'notes', 'save', ['nope nope', { text: 1 }])).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    expect(await run('syncCall', 'notes', 'save', ['b', { text: 'hi' }])).toEqual({ ok: true, value: { id: 'b', length: 2 } });
    expect(seen.map((s) => s.method)).toEqual(['save']);
  });

  it('checks the arguments of a pipelined call against its object kind', async () => {
    const { run, seen } = await setup();
    expect(await run('pipelined', 'notes', 'd1', 'Title')).toEqual({ ok: true, value: 'Title' });
    expect(await run('pipelined', 'notes', 'd2', '')).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    expect(await run('pipelined', 'notes', 'd3', 42)).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    expect(seen.filter((s) => s.method === 'doc.rename')).toEqual([{ method: 'doc.rename', args: ['Title'] }]);
  });

  it('checks property writes with the property schema', async () => {
    const { run } = await setup();
    expect(await run('setTitle', 'notes', 'd1', 'Fine')).toEqual({ ok: true, value: 'Fine' });
    expect(await run('setTitle', 'notes', 'd1', { evil: true })).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
  });

  it("refuses a method without a schema under validate: 'required' (E_NO_SCHEMA), and lets it through otherwise", async () => {
    const { run, seen } = await setup();
    expect(await run('call', 'notes', 'raw', [1])).toMatchObject({ ok: false, code: 'E_NO_SCHEMA' });
    expect(seen).toEqual([]);
    expect(await run('call', 'loose', 'raw', [1])).toEqual({ ok: true, value: 1 });
    expect(await run('call', 'loose', 'save', ['bad id', { text: '' }])).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
  });

  it('sends back the output schema output (leaking fields stripped), and E_BAD_RESULT when the result fails it', async () => {
    const { run } = await setup();
    const saved = await run('call', 'notes', 'save', ['c', { text: 'abc' }]);
    expect(saved.value).not.toHaveProperty('secret');
    const r = await run('call', 'notes', 'leak', []);
    expect(r).toMatchObject({ ok: false, code: 'E_BAD_RESULT' });
    expect(r.issues[0].path).toEqual(['owner']);
  });

  it('awaits an async schema, and bounds it by the deadline', async () => {
    const { run, seen } = await setup();
    expect(await run('call', 'notes', 'exists', ['/ok/file'])).toEqual({ ok: true, value: true });
    expect(await run('call', 'notes', 'exists', ['/missing'])).toMatchObject({ ok: false, code: 'E_BAD_ARGS', issues: [{ path: [0], message: 'no such file' }] });
    expect(await run('syncCall', 'notes', 'exists', ['/missing'])).toMatchObject({ ok: false, code: 'E_BAD_ARGS' });
    const t0 = Date.now();
    expect(await run('call', 'notes', 'hang', ['x'])).toMatchObject({ ok: false, code: 'E_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(seen.map((s) => s.method)).toEqual(['exists']);
  });
});
