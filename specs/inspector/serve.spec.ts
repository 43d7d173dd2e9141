/**
 * `serveInspector` over real loopback sockets (no browser here; the Chromium proof is
 * specs/e2e/inspector.spec.ts): it serves its page with a strict CSP, guards its WebSocket
 * with the token and the Origin like every remora WebSocket host, binds loopback only, and
 * costs main's broker no subscription while nobody is attached.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serveInspector, type InspectorServer } from '../../src/inspector/index.js';
import { createBroker } from '../../src/entries/main.js';

let server: InspectorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Try a WebSocket upgrade; resolves with 'open' or the HTTP status of the refusal. */
function tryUpgrade(url: string, protocols: string[], origin?: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, origin ? { headers: { origin } } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

describe('serveInspector', () => {
  it('serves its page, style sheet and bundle from its own origin with a strict Content-Security-Policy', async () => {
    server = await serveInspector(createBroker());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#remora-token=[0-9a-f]{64}$/);
    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    expect((await fetch(`${server.origin}/inspector.css`)).status).toBe(200);
    const js = await fetch(`${server.origin}/inspector.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript');
    expect((await js.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${server.origin}/other`)).status).toBe(404);
  });

  it('refuses a socket without the token or from a foreign origin', async () => {
    server = await serveInspector(createBroker(), { token: 'a'.repeat(32) });
    const ws = `${server.origin.replace('http', 'ws')}/remora`;
    expect(await tryUpgrade(ws, ['remora.1'], server.origin)).toBe(401);
    expect(await tryUpgrade(ws, ['remora.1', `remora-token.${'b'.repeat(32)}`], server.origin)).toBe(401);
    expect(await tryUpgrade(ws, ['remora.1', `remora-token.${'a'.repeat(32)}`], 'http://evil.example')).toBe(403);
    expect(await tryUpgrade(ws, ['remora.1', `remora-token.${'a'.repeat(32)}`])).toBe(403);
    expect(await tryUpgrade(ws, ['remora.1', `remora-token.${'a'.repeat(32)}`], server.origin)).toBe('open');
  });

  it('refuses to bind a non-loopback interface', async () => {
    await expect(serveInspector(createBroker(), { host: '0.0.0.0' })).rejects.toMatchObject({ code: 'E_DENIED' });
  });

  it('leaves inspect$ unsubscribed while no page is attached, and after close', async () => {
    const broker = createBroker();
    server = await serveInspector(broker);
    expect(broker.inspector.active).toBe(false);
    expect(server.attached).toBe(0);
    await fetch(`${server.origin}/inspector.js`); // serving the page attaches nothing either
    expect(broker.inspector.active).toBe(false);
    await server.close();
    server = undefined;
    expect(broker.inspector.active).toBe(false);
  });
});
