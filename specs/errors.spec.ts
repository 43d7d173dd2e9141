import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyErrorExtras, errorCodeList, ErrorCodes, errors, errorTable, faultOf, httpStatusOf, isCallerFault, isErrorCode, RemoraError,
  type ErrorCode,
} from '../src/errors.js';
import { decode, encode, type EncodeHost } from '../src/protocol/codec.js';
import { toCallerError } from '../src/protocol/errors-on-wire.js';

const docs = readFileSync(join(import.meta.dirname, '..', 'docs', 'errors.md'), 'utf8');
const host: EncodeHost = { plainWithFunctions: 'copy', binary: 'clone', byReference: () => { throw errors.badValue('x'); } };
const noRefs = { reference: () => { throw errors.protocol('no refs'); } };

describe('error code table', () => {
  it('has one row for every code, and every code is a documented row of docs/errors.md', () => {
    expect([...errorCodeList].sort()).toEqual(Object.values(ErrorCodes).sort());
    for (const code of errorCodeList) expect(docs).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  it('states each code\'s fault and HTTP status in docs/errors.md as the table does', () => {
    for (const code of errorCodeList) {
      const row = errorTable[code];
      expect(docs, code).toContain(`| \`${code}\` | ${row.fault} | ${row.http} |`);
    }
  });

  it('documents no code the table does not have', () => {
    const documented = [...docs.matchAll(/^\| `(E_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it('gives every code a doc line, a fault and an HTTP status', () => {
    for (const code of errorCodeList) {
      const row = errorTable[code];
      expect(row.summary.length, code).toBeGreaterThan(10);
      expect(row.todo.length, code).toBeGreaterThan(5);
      expect(['caller', 'target', 'system']).toContain(faultOf(code));
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf(code)).toBeLessThan(600);
    }
  });

  it('counts as caller faults exactly the codes the actor has not counted against restart intensity', () => {
    const callerFaults = errorCodeList.filter(isCallerFault).sort();
    expect(callerFaults).toEqual(['E_ABORTED', 'E_BAD_ARGS', 'E_BAD_VALUE', 'E_DENIED', 'E_INVALID_ARGS', 'E_NO_OBJECT', 'E_NO_SCHEMA', 'E_PROTOCOL', 'E_STALE_REF', 'E_UNKNOWN_ACTION']);
    expect(isCallerFault('ENOENT')).toBe(false);
    expect(isCallerFault(undefined)).toBe(false);
  });

  it('maps the codes the sync endpoint answers with to the statuses it uses by default', () => {
    const endpoint: Partial<Record<ErrorCode, number>> = { E_PROTOCOL: 400, E_DENIED: 403, E_NO_OBJECT: 404, E_CLOSED: 410, E_FRAME_TOO_LARGE: 413, E_TIMEOUT: 504 };
    for (const [code, status] of Object.entries(endpoint)) expect(httpStatusOf(code as ErrorCode), code).toBe(status);
  });
});

describe('error factories', () => {
  it('keep the messages of the shorthand helpers callers know', () => {
    expect(errors.protocol('bad shape').message).toBe('Protocol violation: bad shape. The frame was refused; check that both sides run the same remora version.');
    expect(errors.denied('module "fs"').message).toBe('Denied: module "fs". Main must expose it explicitly (see docs/security.md).');
    expect(errors.noObject(7).message).toBe('No object with ref 7 in this session: it was released, never issued, or belongs to another renderer.');
    expect(errors.closed().message).toBe('Closed: the connection closed. Pending calls were rejected; reconnect to continue.');
    expect(errors.timeout(50, 'apply call').message).toBe('The apply call did not settle within 50 ms. Raise the timeout with withOptions(handle, { timeout }) or check the main-side handler.');
    expect(errors.timeout({ ms: 50, method: 'apply' }).message).toBe(errors.timeout(50, 'apply call').message);
    expect(errors.aborted('why').message).toBe('The call was aborted by its AbortSignal (why).');
    expect(errors.aborted().cause).toBeUndefined();
    expect(errors.released().message).toBe('This handle was disposed; obtain a new one from its parent object.');
    expect(errors.badValue('a WeakMap').message).toBe('Cannot send a WeakMap across the wire. Send plain data, or a value main exposes by reference.');
  });

  it('make each error with its own code and structured details', () => {
    const made: Array<[RemoraError, ErrorCode]> = [
      [errors.denied({ what: 'x', advice: 'Do y.' }), 'E_DENIED'],
      [errors.staleRef({ ref: 3, actor: 'root/a' }), 'E_STALE_REF'],
      [errors.syncTimeout({ ms: 5 }), 'E_TIMEOUT'],
      [errors.actorDeadline({ actor: 'a', ms: 5 }), 'E_TIMEOUT'],
      [errors.version({ detail: 'v1' }), 'E_VERSION'],
      [errors.notA({ path: [], expected: 'a function' }), 'E_BAD_VALUE'],
      [errors.tooManyRefs({ max: 1 }), 'E_TOO_MANY_REFS'],
      [errors.tooManyCallbacks({ max: 1, listeners: true }), 'E_TOO_MANY_REFS'],
      [errors.tooManyPending({ max: 1 }), 'E_TOO_MANY_PENDING'],
      [errors.tooManySubscriptions({ max: 1 }), 'E_TOO_MANY_SUBSCRIPTIONS'],
      [errors.mailboxFull({ actor: 'a', capacity: 1 }), 'E_MAILBOX_FULL'],
      [errors.actorStopped({ actor: 'a' }), 'E_ACTOR_STOPPED'],
      [errors.overflow({ stream: 1, buffer: 2 }), 'E_OVERFLOW'],
      [errors.unknownAction({ action: 'x', known: [] }), 'E_UNKNOWN_ACTION'],
      [errors.invalidArgs({ what: 'bad' }), 'E_INVALID_ARGS'],
      [errors.syncUnsupported(), 'E_SYNC_UNSUPPORTED'],
      [errors.frameTooLarge({ maxBytes: 1 }), 'E_FRAME_TOO_LARGE'],
      [errors.tooDeep({ maxDepth: 1 }), 'E_TOO_DEEP'],
      [errors.dependencyFailed({ why: 'x' }), 'E_TARGET_THREW'],
      [errors.dependencyFailed({ code: 'E_DENIED', why: 'x' }), 'E_DENIED'],
    ];
    for (const [e, code] of made) {
      expect(e).toBeInstanceOf(RemoraError);
      expect(e.code).toBe(code);
      expect(e.remoraCode).toBe(code);
    }
    expect(errors.staleRef({ ref: 3, actor: 'root/a' }).details).toEqual({ ref: 3, actor: 'root/a' });
    expect(errors.notA({ path: ['a', 'b'], expected: 'an Observable' }).message).toBe('"a.b" is not an Observable.');
    expect(errors.notA({ path: [], expected: 'a function' }).message).toBe('"(target)" is not a function.');
  });

  it('keep details off the wire: a factory error crosses with the same extras as before', () => {
    const e = errors.syncTimeout({ ms: 5 });
    expect(Object.keys(e)).not.toContain('details');
    const back = toCallerError(decode(structuredClone(encode(e, host)), noRefs));
    expect(back).toBeInstanceOf(RemoraError);
    expect((back as RemoraError).code).toBe('E_TIMEOUT');
    expect(back.message).toBe(e.message);
    const plain = toCallerError(decode(structuredClone(encode(new RemoraError('E_TIMEOUT', e.message), host)), noRefs));
    expect(Object.keys(back).sort()).toEqual(Object.keys(plain).sort());
    const wire = encode(e, host) as unknown[];
    const before = encode(new RemoraError('E_TIMEOUT', e.message), host) as unknown[];
    expect(wire.length).toBe(before.length);
    expect(wire[5]).toEqual(before[5]);
  });
});

describe('copying an error\'s extra properties', () => {
  it('copies own enumerable extras but not the keys every error has', () => {
    const from = Object.assign(new Error('m'), { code: 'ENOENT', path: '/x', errno: -2, remoraCode: 'E_X' });
    const to = new Error('other');
    expect(copyErrorExtras(from, to)).toBe(2);
    expect(to).toMatchObject({ path: '/x', errno: -2, message: 'other' });
    expect('remoraCode' in to).toBe(false);
  });

  it('leaves out functions and symbols when only data may travel, and keeps what the target has when asked', () => {
    const from = { a: 1, f: () => 1, s: Symbol('s'), message: 'from' };
    const to: Record<string, unknown> = { a: 0 };
    expect(copyErrorExtras(from, to, { values: 'data', onlyAbsent: true, skip: [] })).toBe(1);
    expect(to).toEqual({ a: 0, message: 'from' });
  });
});
