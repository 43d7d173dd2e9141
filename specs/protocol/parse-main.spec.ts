import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RemoraError } from '../../src/errors.js';
import {
  byeError, FrameError, isVersionMismatch, parseMainFrame, parseMainMessage, parseRendererFrame, toRenderer, unbatch, unbatchMain,
  versionMismatchFrame, PROTOCOL_VERSION,
} from '../../src/protocol/frames.js';

function refusal(fn: () => unknown): FrameError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FrameError);
    return e as FrameError;
  }
  throw new Error('the frame was accepted');
}

/** Junk shaped like frames: right and wrong kinds, fields of every type. */
const junkFrame = fc.oneof(
  fc.anything(),
  fc.record(
    {
      t: fc.oneof(fc.constantFrom('welcome', 'ok', 'fail', 'cb', 'cbfree', 'next', 'error', 'complete', 'bye', 'batch', 'hello', 'get', 'set', 'apply', 'new', 'require', 'global', 'current', 'sub', 'unsub', 'ack', 'cancel', 'release'), fc.anything()),
      id: fc.oneof(fc.integer(), fc.double(), fc.anything()),
      v: fc.anything(), e: fc.anything(), cb: fc.anything(), cbs: fc.anything(), args: fc.anything(), f: fc.anything(),
      reason: fc.anything(), code: fc.anything(), session: fc.anything(), gen: fc.anything(), ref: fc.anything(),
      on: fc.anything(), path: fc.anything(), name: fc.anything(), what: fc.anything(), refs: fc.anything(), n: fc.anything(),
      s: fc.anything(), k: fc.anything(), event: fc.anything(), value: fc.anything(),
    },
    { requiredKeys: ['t'] },
  ),
);

/** Runs `fn`; passes when it returns or throws an E_PROTOCOL RemoraError, and fails on anything else. */
function onlyProtocolErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RemoraError);
    expect((e as RemoraError).code).toBe('E_PROTOCOL');
  }
}

describe('main frame validation', () => {
  it.each<[string, unknown]>([
    ['a non-object', 'ok'],
    ['an array', [1]],
    ['an unknown kind', { t: 'hello', v: 2, gen: 0 }],
    ['ok without a value', { t: 'ok', id: 1 }],
    ['ok with a fractional id', { t: 'ok', id: 1.5, v: 1 }],
    ['fail without an error', { t: 'fail', id: 1 }],
    ['cb without args', { t: 'cb', cb: 1 }],
    ['cb with id 0', { t: 'cb', cb: 0, args: [] }],
    ['cbfree with an odd list', { t: 'cbfree', cbs: [1] }],
    ['cbfree with a string id', { t: 'cbfree', cbs: ['1', 1] }],
    ['next with a non-array', { t: 'next', id: 1, v: 1 }],
    ['next with a negative id', { t: 'next', id: -1, v: [] }],
    ['error without an error', { t: 'error', id: 1 }],
    ['complete without an id', { t: 'complete' }],
    ['bye without a reason', { t: 'bye' }],
    ['bye with a code remora does not have', { t: 'bye', reason: 'x', code: 'E_NOPE' }],
    ['welcome without a session', { t: 'welcome', v: PROTOCOL_VERSION, gen: 0 }],
    ['welcome with a negative generation', { t: 'welcome', v: PROTOCOL_VERSION, session: 's', gen: -1 }],
  ])('refuses %s with E_PROTOCOL', (_name, raw) => {
    const e = refusal(() => parseMainFrame(raw));
    expect(e.code).toBe('E_PROTOCOL');
    expect(e.message).toMatch(/^Protocol violation: /);
  });

  it('names the frame id in the refusal when it had a valid one', () => {
    expect(refusal(() => parseMainFrame({ t: 'next', id: 4, v: 'x' })).id).toBe(4);
  });

  it('refuses a batch from main that holds a malformed frame', () => {
    const good = toRenderer.complete(1);
    expect(parseMainMessage({ t: 'batch', f: [good, good] })).toEqual([good, good]);
    expect(refusal(() => parseMainMessage({ t: 'batch', f: [good, { t: 'ok' }] })).code).toBe('E_PROTOCOL');
    expect(refusal(() => parseMainMessage({ t: 'batch', f: 'x' })).code).toBe('E_PROTOCOL');
  });

  it('does not cap main batches unless asked', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => toRenderer.ok(i + 1, null));
    expect(unbatchMain({ t: 'batch', f: many })).toHaveLength(20_000);
    expect(refusal(() => unbatchMain({ t: 'batch', f: many }, 10)).code).toBe('E_PROTOCOL');
    expect(refusal(() => unbatch({ t: 'batch', f: many })).code).toBe('E_PROTOCOL');
  });

  it('never throws anything but E_PROTOCOL for random junk from main', () => {
    fc.assert(fc.property(junkFrame, (raw) => onlyProtocolErrors(() => parseMainFrame(raw))), { numRuns: 2000 });
    fc.assert(fc.property(fc.array(junkFrame), fc.boolean(), (frames, batched) =>
      onlyProtocolErrors(() => parseMainMessage(batched ? { t: 'batch', f: frames } : frames[0]))), { numRuns: 500 });
  });

  it('never throws anything but E_PROTOCOL for random junk from a renderer', () => {
    fc.assert(fc.property(junkFrame, (raw) => onlyProtocolErrors(() => {
      for (const f of unbatch(raw)) parseRendererFrame(f);
    })), { numRuns: 2000 });
  });
});

describe('protocol version', () => {
  it('recognises a refused handshake by its E_VERSION code, not its wording', () => {
    const bye = versionMismatchFrame(PROTOCOL_VERSION + 1);
    expect(bye.code).toBe('E_VERSION');
    expect(isVersionMismatch(bye)).toBe(true);
    expect(isVersionMismatch({ t: 'bye', reason: 'E_VERSION: looks like one' })).toBe(false);
    expect(isVersionMismatch(toRenderer.bye('shutdown'))).toBe(false);
  });

  it('keeps the reason text renderers of this version already show', () => {
    expect(versionMismatchFrame(1).reason).toBe(`E_VERSION: renderer speaks protocol 1, main speaks ${PROTOCOL_VERSION}`);
  });

  it('fails pending calls with E_VERSION after a refused handshake and E_CLOSED after any other bye', () => {
    const version = byeError(versionMismatchFrame(1));
    expect(version.code).toBe('E_VERSION');
    expect(isVersionMismatch(version)).toBe(true);
    expect(version.message).toBe(`Main refused the handshake: E_VERSION: renderer speaks protocol 1, main speaks ${PROTOCOL_VERSION}. Run the same remora version on both sides.`);
    const closed = byeError(toRenderer.bye('main shut down'));
    expect(closed.code).toBe('E_CLOSED');
    expect(closed.message).toBe('Closed: main shut down. Pending calls were rejected; reconnect to continue.');
  });
});
