/**
 * The WebSocket transport's main side, driven by a plain `ws` client over loopback: who gets
 * in (token and origin, checked before any socket or frame exists), the session key and sync
 * endpoint, and how the socket's close ends the session. Real pages are in specs/e2e.
 */
import { PROTOCOL_VERSION } from '../../src/protocol/frames.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBroker } from '../../src/entries/main.js';
import { listenWebSocket, WS_PROTOCOL, WS_TOKEN_PREFIX, type WebSocketHost } from '../../src/transports/websocket.js';
import { makeApi } from '../fixtures/shared-api.js';
import { until } from '../support/workers.js';

let hosts: WebSocketHost[] = [];
let sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets) s.terminate();
  sockets = [];
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

async function setup(options: { allowMissingOrigin?: boolean } = {}) {
  const broker = createBroker();
  broker.exposeModule('api', makeApi);
  const opened: string[] = [];
  const closed: (string | undefined)[] = [];
  broker.inspect$.subscribe((e) => {
    if (e.kind === 'session-opened') opened.push(e.session!);
    if (e.kind === 'session-closed') closed.push(e.detail);
  });
  const host = await listenWebSocket({ broker, ...options });
  hosts.push(host);
  return { broker, host, opened, closed };
}

/** Open a socket; resolves with it once open, or with the HTTP status that refused it. */
function dial(host: WebSocketHost, opts: { token?: string; origin?: string | null; protocol?: boolean } = {}): Promise<{ ws?: WebSocket; status?: number; first?: Promise<any> }> {
  const protocols = [...(opts.protocol === false ? [] : [WS_PROTOCOL]), ...(opts.token === undefined ? [] : [WS_TOKEN_PREFIX + opts.token])];
  const ws = new WebSocket(host.wsUrl, protocols, opts.origin === null ? {} : { origin: opts.origin ?? host.origin });
  sockets.push(ws);
  const first = new Promise<any>((res) => ws.once('message', (d) => res(JSON.parse(d.toString()))));
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, first }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

function nextFrame(ws: WebSocket, pred: (f: any) => boolean): Promise<any> {
  return new Promise((resolve) => {
    const on = (d: Buffer): void => {
      const m = JSON.parse(d.toString());
      const frames = m.t === 'batch' ? m.f : [m];
      const hit = frames.find(pred);
      if (hit) {
        ws.off('message', on);
        resolve(hit);
      }
    };
    ws.on('message', on);
  });
}

async function sync(host: WebSocketHost, headers: Record<string, string>, frame: unknown) {
  const r = await fetch(`${host.origin}/remora/sync`, { method: 'POST', headers: { origin: host.origin, ...headers }, body: JSON.stringify(frame) });
  return { status: r.status, body: await r.json() };
}

describe('websocket transport (main side)', () => {
  it('refuses a socket without the token before any session exists', async () => {
    const { host, opened } = await setup();
    expect(await dial(host)).toEqual({ status: 401 });
    expect(await dial(host, { token: 'f'.repeat(64) })).toEqual({ status: 401 });
    expect(await dial(host, { token: host.token.slice(1) })).toEqual({ status: 401 });
    expect(opened).toEqual([]);
    expect(host.connections).toBe(0);
  });

  it('refuses a foreign or missing Origin even with the right token', async () => {
    const { host, opened } = await setup();
    expect(await dial(host, { token: host.token, origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await dial(host, { token: host.token, origin: `http://127.0.0.1:${host.port + 1}` })).toEqual({ status: 403 });
    expect(await dial(host, { token: host.token, origin: null })).toEqual({ status: 403 });
    expect(opened).toEqual([]);
  });

  it('accepts a missing Origin only when allowMissingOrigin is set', async () => {
    const { host, opened } = await setup({ allowMissingOrigin: true });
    const { ws } = await dial(host, { token: host.token, origin: null });
    expect(ws).toBeDefined();
    await until(() => opened.length === 1, 2000, 'session');
  });

  it('issues a session key first, then speaks the protocol as JSON frames', async () => {
    const { host, broker } = await setup();
    const { ws, first } = await dial(host, { token: host.token });
    expect(await first).toMatchObject({ remora: 'session', key: expect.any(String) });
    const welcome = nextFrame(ws!, (f) => f.t === 'welcome');
    ws!.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
    expect(await welcome).toMatchObject({ t: 'welcome', v: PROTOCOL_VERSION });
    const session = [...broker.sessions][0]!;
    expect(session.info).toMatchObject({ transport: 'websocket', origin: host.origin, remoteAddress: '127.0.0.1' });
    const reply = nextFrame(ws!, (f) => f.id === 2);
    ws!.send(JSON.stringify({ t: 'batch', f: [{ t: 'require', id: 1, name: 'api', k: 1 }, { t: 'apply', id: 2, on: 1, path: ['add'], args: [2, 3] }] }));
    expect(await reply).toEqual({ t: 'ok', id: 2, v: 5 });
  });

  it('answers a sync request in the session named by its key, after the frames sent before it', async () => {
    const { host, broker } = await setup();
    const { ws, first } = await dial(host, { token: host.token });
    const { key } = await first!;
    const headers = { 'x-remora-token': host.token, 'x-remora-session': key };
    // The request says two socket messages precede it; it is sent before them and must wait.
    const answer = sync(host, { ...headers, 'x-remora-seq': '2' }, { t: 'apply', id: 3, s: 1, ref: 1, path: ['add'], args: [20, 22] });
    await new Promise((r) => setTimeout(r, 50));
    ws!.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
    ws!.send(JSON.stringify({ t: 'require', id: 1, name: 'api' }));
    expect(await answer).toEqual({ status: 200, body: { t: 'ok', id: 3, v: 42 } });
    expect(broker.stats().sessions).toBe(1);
  });

  it('refuses sync requests with a bad token, a foreign or missing origin, or an unknown session', async () => {
    const { host } = await setup();
    const { first } = await dial(host, { token: host.token });
    const { key } = await first!;
    const frame = { t: 'require', id: 1, s: 1, name: 'api' };
    expect((await sync(host, { 'x-remora-token': 'nope', 'x-remora-session': key }, frame)).status).toBe(401);
    expect((await sync(host, { 'x-remora-token': host.token, 'x-remora-session': key, origin: 'http://evil.example' }, frame)).status).toBe(403);
    expect(await sync(host, { 'x-remora-token': host.token, 'x-remora-session': 'no-such-key' }, frame)).toMatchObject({ status: 410, body: { code: 'E_CLOSED' } });
    const noOrigin = await fetch(`${host.origin}/remora/sync`, { method: 'POST', headers: { 'x-remora-token': host.token, 'x-remora-session': key }, body: JSON.stringify(frame) });
    expect(noOrigin.status).toBe(403);
  });

  it('answers 504 E_TIMEOUT when a sync request cannot be routed within its deadline', async () => {
    const { host } = await setup();
    const { ws, first } = await dial(host, { token: host.token });
    const { key } = await first!;
    // Never routed: the page claims a socket message that never comes.
    const r = await sync(host, { 'x-remora-token': host.token, 'x-remora-session': key, 'x-remora-seq': '5', 'x-remora-timeout': '50' }, { t: 'require', id: 1, s: 1, name: 'api' });
    expect(r).toMatchObject({ status: 504, body: { code: 'E_TIMEOUT' } });
    ws!.terminate();
  });

  it('ends the session when the page closes its socket (1001), releasing what it held', async () => {
    const { host, broker, closed } = await setup();
    const { ws } = await dial(host, { token: host.token });
    const reply = nextFrame(ws!, (f) => f.id === 1);
    ws!.send(JSON.stringify({ t: 'batch', f: [{ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }, { t: 'require', id: 1, name: 'api' }] }));
    await reply;
    expect(broker.stats()).toMatchObject({ sessions: 1, refs: 1 });
    ws!.close(1001, 'reload');
    await until(() => closed.length === 1, 2000, 'session end');
    expect(closed).toEqual(['going-away']);
    expect(broker.stats()).toMatchObject({ sessions: 0, refs: 0 });
  });

  it('ends the session as crashed when the connection drops without a close frame', async () => {
    const { host, closed } = await setup();
    const { ws } = await dial(host, { token: host.token });
    ws!.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 }));
    await until(() => host.connections === 1, 2000, 'connection');
    ws!.terminate();
    await until(() => closed.length === 1, 2000, 'session end');
    expect(closed).toEqual(['crashed']);
  });

  it('closes the socket of a page that sends something other than JSON', async () => {
    const { host, closed } = await setup();
    const { ws } = await dial(host, { token: host.token });
    const code = new Promise<number>((res) => ws!.once('close', (c) => res(c)));
    ws!.send('not json');
    expect(await code).toBe(1007);
    expect(closed).toEqual(['error']);
  });

  it('closes every page socket with 1001 when main shuts down', async () => {
    const { host, broker } = await setup();
    const { ws } = await dial(host, { token: host.token });
    const code = new Promise<number>((res) => ws!.once('close', (c) => res(c)));
    await until(() => broker.stats().sessions === 1, 2000, 'session');
    await host.close();
    hosts = [];
    expect(await code).toBe(1001);
    expect(broker.stats().sessions).toBe(0);
  });

  it('refuses to bind a non-loopback interface unless told to', async () => {
    await expect(listenWebSocket({ broker: createBroker(), host: '0.0.0.0' })).rejects.toMatchObject({ code: 'E_DENIED' });
  });
});
