/**
 * Frames from main are validated before any handler runs: a scripted main sends junk over the
 * memory transport, and the renderer closes cleanly with a typed `E_PROTOCOL` that every
 * pending call fails with (never a `TypeError` from deep inside a handler).
 */
import { describe, expect, it } from 'vitest';
import { toRenderer } from '../../src/protocol/index.js';
import { scriptedMain, turn } from './scripted-main.js';

const junk: Array<[string, unknown]> = [
  ['a number', 42],
  ['null', null],
  ['an array', [1, 2]],
  ['a frame of an unknown kind', { t: 'nope', id: 1 }],
  ['a frame kind every object inherits', { t: 'constructor' }],
  ['an ok without an id', { t: 'ok', v: 1 }],
  ['a fail without its error', { t: 'fail', id: 1 }],
  ['stream values that are not an array', { t: 'next', id: 1, v: 'x' }],
  ['a stream frame with a string id', { t: 'complete', id: 'x' }],
  ['a callback frame without arguments', { t: 'cb', cb: 1 }],
  ['an odd cbfree list', { t: 'cbfree', cbs: [1] }],
  ['a bye without a reason', { t: 'bye' }],
  ['a batch whose frames are not a list', { t: 'batch', f: 'x' }],
  ['a batch holding junk', { t: 'batch', f: [{ t: 'ok' }] }],
];

describe('malformed frames from main', () => {
  it.each(junk)('closes with E_PROTOCOL, failing the pending calls, on %s', async (_name, frame) => {
    const m = scriptedMain();
    m.send(toRenderer.welcome('s-1', 0));
    await m.conn.ready;
    const pending = m.conn.request({ t: 'get', ref: 1, path: ['a'] }, { handle: () => undefined });
    await turn();
    m.send(frame as object);
    const err = await pending.promise.then(() => undefined, (e: unknown) => e);
    expect(err).not.toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ name: 'RemoraError', code: 'E_PROTOCOL', message: expect.stringContaining('Protocol violation') });
    expect(m.conn.isClosed).toBe(true);
    // Later calls fail at once with the same cause.
    await expect(m.conn.request({ t: 'get', ref: 1, path: ['b'] }, { handle: () => undefined }).promise).rejects.toBe(err);
  });

  it('fails a handshake still waiting for its welcome with E_PROTOCOL', async () => {
    const m = scriptedMain();
    m.send({ t: 'welcome', session: 's-1' }); // no version, no generation
    await expect(m.conn.ready).rejects.toMatchObject({ code: 'E_PROTOCOL', message: expect.stringContaining('welcome needs a numeric version') });
    expect(m.conn.isClosed).toBe(true);
  });

  it('acts on the well-formed frames of a batch before the malformed one', async () => {
    const m = scriptedMain();
    m.send(toRenderer.welcome('s-1', 0));
    await m.conn.ready;
    const first = m.conn.request({ t: 'get', ref: 1, path: ['a'] }, { handle: () => undefined });
    const second = m.conn.request({ t: 'get', ref: 1, path: ['b'] }, { handle: () => undefined });
    await turn();
    m.send({ t: 'batch', f: [toRenderer.ok(first.frame.id, 'a'), { t: 'ok', id: 'two' }] });
    expect(await first.promise).toBe('a');
    await expect(second.promise).rejects.toMatchObject({ code: 'E_PROTOCOL' });
  });
});

describe('a version mismatch', () => {
  it('fails ready with E_VERSION when main refuses the hello with a bye coded E_VERSION', async () => {
    const m = scriptedMain();
    m.send(toRenderer.versionMismatch(1));
    await expect(m.conn.ready).rejects.toMatchObject({ code: 'E_VERSION', message: expect.stringContaining('Run the same remora version on both sides') });
    expect(m.conn.isClosed).toBe(true);
  });

  it('fails ready with E_CLOSED and main\'s reason for a bye of another cause', async () => {
    const m = scriptedMain();
    m.send(toRenderer.bye('shutting down'));
    await expect(m.conn.ready).rejects.toMatchObject({ code: 'E_CLOSED', message: expect.stringContaining('shutting down') });
  });
});
