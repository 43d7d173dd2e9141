/**
 * Errors thrown in main, as @electron/remote's "remote exception" group checks them.
 * Renderer in a real worker thread, broker in this process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import { makeThrower } from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeModule('thrower', makeThrower);
  return probeRenderer(broker);
}

describe('remote exceptions (compat, worker thread)', () => {
  it('throws in the page when main throws undefined, saying undefined, in both flavours', async () => {
    const r = await setup();
    const out = await r.run(async (ctx) => {
      const sync = ctx.caught(() => ctx.remote.require('thrower').throwIt(undefined));
      const t = await ctx.client.require<{ throwIt(e: unknown): never }>('thrower');
      const async = await ctx.caughtAsync(() => t.throwIt(undefined));
      return [sync, async].map((c) => ({ threw: c.threw, message: c.message, code: c.code }));
    });
    for (const c of out) {
      expect(c.threw).toBe(true);
      expect(c.message).toMatch(/undefined/);
      expect(c.code).toBe('E_TARGET_THREW');
    }
  });

  it('throws main\'s own error in the page, with its message (not wrapped in a cause)', async () => {
    // Deliberate difference: @electron/remote threw "Could not call remote function" with main's error as `cause`; remora rethrows main's error itself.
    const r = await setup();
    expect(await r.run((ctx) => {
      const c = ctx.caught(() => ctx.remote.require('thrower').throwIt(new TypeError('error from main')));
      return { name: c.name, message: c.message, code: c.code };
    })).toEqual({ name: 'TypeError', message: 'error from main', code: 'E_TARGET_THREW' });
  });
});
