/**
 * Main's say over what a page reaches, as @electron/remote's "filtering" group checks it (there
 * through `remote-get-global`, `remote-require`, ... events on webContents and app; in remora
 * through the broker's `policy` and what main exposes). getGlobal/require over a real worker
 * thread; getCurrentWindow/getCurrentWebContents over the Electron stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import { type compatElectronApp as AppFactory, compatElectronApp } from './support/electron-app.js';
import { probeRenderer, stopProbes } from './support/probe.js';

let app: ReturnType<typeof AppFactory> | undefined;
afterEach(async () => {
  await stopProbes();
  await app?.shutdown();
  app = undefined;
});

/** A broker exposing `test` as a module and a global, with a policy refusing `blocked` of `kind`. */
function brokerRefusing(kind: 'require' | 'global') {
  const broker = createBroker({ policy: (req) => !(req.kind === kind && req.name === 'blocked') });
  broker.exposeModule('test', () => ({ v: 'module' }));
  broker.exposeModule('blocked', () => ({ v: 'module' }));
  broker.exposeGlobal('test', { v: 'global' });
  broker.exposeGlobal('blocked', { v: 'global' });
  return broker;
}

describe('filtering what a page reaches (compat)', () => {
  it('throws E_DENIED from remote.getGlobal when main\'s policy refuses the name, in both flavours', async () => {
    const r = await probeRenderer(brokerRefusing('global'));
    const out = await r.run(async (ctx) => ({
      allowed: ctx.remote.getGlobal('test').v,
      sync: ctx.caught(() => ctx.remote.getGlobal('blocked')).code,
      async: (await ctx.caughtAsync(() => ctx.client.getGlobal('blocked'))).code,
    }));
    expect(out).toEqual({ allowed: 'global', sync: 'E_DENIED', async: 'E_DENIED' });
  });

  it('throws E_DENIED from remote.require when main\'s policy refuses the name, in both flavours', async () => {
    const r = await probeRenderer(brokerRefusing('require'));
    const out = await r.run(async (ctx) => ({
      allowed: ctx.remote.require('test').v,
      sync: ctx.caught(() => ctx.remote.require('blocked')).code,
      async: (await ctx.caughtAsync(() => ctx.client.require('blocked'))).code,
    }));
    expect(out).toEqual({ allowed: 'module', sync: 'E_DENIED', async: 'E_DENIED' });
  });

  it('throws E_DENIED from remote.getCurrentWindow when main\'s policy refuses the window', async () => {
    app = compatElectronApp({ policy: (req) => !(req.kind === 'current' && req.name === 'window') });
    const w = await app.open();
    expect(await w.run(async (ctx) => ({
      sync: ctx.caught(() => ctx.remote.getCurrentWindow()).code,
      async: (await ctx.caughtAsync(() => ctx.client.current('window'))).code,
      webContentsStillAllowed: typeof ctx.remote.getCurrentWebContents().getId(),
    }))).toEqual({ sync: 'E_DENIED', async: 'E_DENIED', webContentsStillAllowed: 'number' });
  });

  it('throws E_DENIED from remote.getCurrentWebContents when main\'s policy refuses it', async () => {
    app = compatElectronApp({ policy: (req) => !(req.kind === 'current' && req.name === 'webContents') });
    const w = await app.open();
    expect(await w.run(async (ctx) => ({
      sync: ctx.caught(() => ctx.remote.getCurrentWebContents()).code,
      async: (await ctx.caughtAsync(() => ctx.client.current('webContents'))).code,
      windowStillAllowed: typeof ctx.remote.getCurrentWindow().getId(),
    }))).toEqual({ sync: 'E_DENIED', async: 'E_DENIED', windowStillAllowed: 'number' });
  });

  it('answers each page with its own module instance when main exposes it per session (main\'s way to customise what require returns)', async () => {
    // Deliberate difference: @electron/remote let a listener substitute any return value per call; remora customises by what main exposes (here scope: 'session').
    const broker = createBroker();
    let made = 0;
    broker.exposeModule('custom', () => ({ n: ++made }), { scope: 'session' });
    const a = await probeRenderer(broker);
    const b = await probeRenderer(broker);
    const na = await a.run((ctx) => ctx.remote.require('custom').n);
    const nb = await b.run((ctx) => ctx.remote.require('custom').n);
    expect(new Set([na, nb])).toEqual(new Set([1, 2]));
  });

  it('has no getBuiltin on remote (main exposes modules by name instead)', async () => {
    // Deliberate difference: no built-in getters (`remote.getBuiltin`, `remote.app`, ...); see docs/migration.md.
    const r = await probeRenderer(brokerRefusing('global'));
    expect(await r.run((ctx) => [typeof (ctx.remote as unknown as Record<string, unknown>).getBuiltin, typeof (ctx.remote as unknown as Record<string, unknown>).app])).toEqual(['undefined', 'undefined']);
  });
});
