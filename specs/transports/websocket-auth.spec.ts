/** Unit specs of the WebSocket gate: the token's shape and the checks an upgrade passes, in order. */
import { describe, expect, it } from 'vitest';
import { AccessGate, tokenOf } from '../../src/transports/websocket-auth.js';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/transports/websocket-wire.js';

const TOKEN = 'a'.repeat(32);
const upgrade = (origin: string | undefined, protocols: string[]) => ({ origin, 'sec-websocket-protocol': protocols.join(', ') });

describe('tokenOf', () => {
  it('makes a 64-character hex token when none is given', () => {
    expect(tokenOf(undefined)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a token too short or with characters a sub-protocol cannot carry, with E_INVALID_ARGS', () => {
    expect(() => tokenOf('short')).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGS' }));
    expect(() => tokenOf(`${'a'.repeat(20)} b`)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGS' }));
    expect(tokenOf(TOKEN)).toBe(TOKEN);
  });
});

describe('AccessGate', () => {
  it("allows the server's own origins once it listens, unless origins were given", () => {
    const own = new AccessGate(TOKEN, undefined, false);
    expect(own.originAllowed('http://127.0.0.1:9')).toBe(false);
    own.useOwnOrigins(['http://127.0.0.1:9']);
    expect(own.originAllowed('http://127.0.0.1:9')).toBe(true);
    const given = new AccessGate(TOKEN, ['http://app.test'], false);
    given.useOwnOrigins(['http://127.0.0.1:9']);
    expect(given.originAllowed('http://127.0.0.1:9')).toBe(false);
    expect(given.originAllowed('http://app.test')).toBe(true);
  });

  it('refuses a request without Origin unless allowMissingOrigin', () => {
    expect(new AccessGate(TOKEN, [], false).originAllowed(undefined)).toBe(false);
    expect(new AccessGate(TOKEN, [], true).originAllowed(undefined)).toBe(true);
  });

  it('matches only the exact token', () => {
    const gate = new AccessGate(TOKEN, [], false);
    expect(gate.tokenMatches(TOKEN)).toBe(true);
    expect(gate.tokenMatches(`${TOKEN}a`)).toBe(false);
    expect(gate.tokenMatches('b'.repeat(32))).toBe(false);
    expect(gate.tokenMatches(undefined)).toBe(false);
  });

  it('checks an upgrade for origin (403), then token (401), then the remora sub-protocol (400)', () => {
    const gate = new AccessGate(TOKEN, ['http://app.test'], false);
    expect(gate.refuseUpgrade(upgrade('http://evil.test', [WS_PROTOCOL]))).toEqual({ status: 403, text: 'Forbidden' });
    expect(gate.refuseUpgrade(upgrade('http://app.test', [WS_PROTOCOL, `${WS_TOKEN_PREFIX}wrong`]))).toEqual({ status: 401, text: 'Unauthorized' });
    expect(gate.refuseUpgrade(upgrade('http://app.test', [`${WS_TOKEN_PREFIX}${TOKEN}`]))).toEqual({ status: 400, text: 'Bad Request' });
    expect(gate.refuseUpgrade(upgrade('http://app.test', [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${TOKEN}`]))).toBeUndefined();
  });
});
