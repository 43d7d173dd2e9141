/**
 * Page functions main calls, as @electron/remote's "remote function in renderer" and
 * "remote.createFunctionWithReturnValue" groups check them. Renderer in a real worker thread,
 * broker in this process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import { makeValues } from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';
import { nextMessage } from '../support/workers.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeModule('values', makeValues);
  let stored: (() => unknown) | undefined;
  broker.exposeModule('slot', () => ({
    keep(fn: () => unknown) { stored = fn; },
    fire() { stored?.(); },
  }));
  return probeRenderer(broker);
}

describe('page functions called by main (compat, worker thread)', () => {
  it('runs a page function main keeps and calls later, in the page', async () => {
    const r = await setup();
    const called = nextMessage(r.worker, (m) => m?.__probeEvent && m.event === 'called');
    await r.run((ctx) => {
      const slot = ctx.remote.require('slot');
      slot.keep(() => ctx.post({ event: 'called' }));
      slot.fire();
    });
    expect(await called).toMatchObject({ event: 'called' });
  });

  it('does not give main the return value of a page function (callbacks are one-way)', async () => {
    // Deliberate difference: no createFunctionWithReturnValue; main never blocks on a page, so what a callback returns stays in the page.
    const r = await setup();
    expect(await r.run((ctx) => {
      const got = ctx.remote.require('values').callBack(() => 42);
      return { got: got === undefined ? 'undefined' : got, hasHelper: typeof (ctx.remote as unknown as Record<string, unknown>).createFunctionWithReturnValue };
    })).toEqual({ got: 'undefined', hasHelper: 'undefined' });
  });
});
