/**
 * Promises across the boundary, as @electron/remote's "remote promise" group checks them:
 * main functions returning promises, rejections seen by catch and by then, where unhandled
 * rejections surface, and a page that replaced its global Promise. Renderer in a real worker
 * thread, broker in this process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import { makePromises } from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeModule('promises', makePromises);
  broker.exposeGlobal('returnAPromise', (v: unknown) => new Promise((resolve) => setTimeout(() => resolve(v), 30)));
  return probeRenderer(broker);
}

describe('remote promises (compat, worker thread)', () => {
  it('gives the page a real promise for a main function that returns one, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const p = ctx.remote.require('promises').later(1234);
      const asyncPromises = await ctx.client.require<ReturnType<typeof import('./support/main-fixtures.js').makePromises>>('promises');
      return { isPromise: p instanceof Promise, value: await p, async: await asyncPromises.later(2468) };
    })).toEqual({ isPromise: true, value: 1234, async: 2468 });
  });

  it('refuses a page promise as an argument (await it first)', async () => {
    // Deliberate difference: @electron/remote sent a page promise to main as a remote thenable; remora refuses it (E_BAD_VALUE).
    const r = await setup();
    expect(await r.run((ctx) => ctx.caught(() => ctx.remote.require('promises').twice(Promise.resolve(1234))))).toMatchObject({ threw: true, code: 'E_BAD_VALUE' });
  });

  it('delivers a main rejection to catch(onRejected)', async () => {
    const r = await setup();
    expect(await r.run((ctx) => new Promise((resolve) => {
      ctx.remote.require('promises').rejectNow().catch((e: Error) => resolve(e.message));
    }))).toBe('rejected');
  });

  it('delivers a main rejection to then(onFulfilled, onRejected)', async () => {
    const r = await setup();
    expect(await r.run((ctx) => new Promise((resolve) => {
      ctx.remote.require('promises').rejectNow().then(() => resolve('fulfilled'), (e: Error) => resolve(e.message));
    }))).toBe('rejected');
  });

  it('does not raise an unhandled rejection in main when main\'s promise rejects to the page', async () => {
    const r = await setup();
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(await r.run((ctx) => new Promise((resolve) => {
        ctx.remote.require('promises').rejectNow().then(() => resolve('fulfilled'), (e: Error) => resolve(e.message));
      }))).toBe('rejected');
      await new Promise((res) => setTimeout(res, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(seen).toEqual([]);
  });

  it('raises an unhandled rejection in the page when the page ignores a main rejection', async () => {
    const r = await setup();
    expect(await r.run((ctx) => new Promise((resolve) => {
      const onUnhandled = (reason: unknown): void => {
        process.off('unhandledRejection', onUnhandled);
        resolve((reason as Error).message);
      };
      process.on('unhandledRejection', onUnhandled);
      void ctx.remote.require('promises').rejectNow().then(() => resolve('fulfilled'));
    }))).toBe('rejected');
  });

  // Issue 17 item 5 (an it.fails until its fix).
  it('resolves a promise-returning call after the page replaced its global Promise', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const original = globalThis.Promise;
      const returnAPromise = ctx.remote.getGlobal('returnAPromise') as unknown as (v: number) => PromiseLike<number>;
      const before = await returnAPromise(123);
      let pending: PromiseLike<unknown> | undefined;
      let threw: string | undefined;
      (globalThis as { Promise: unknown }).Promise = { resolve: () => ({}) };
      try {
        pending = returnAPromise(456);
      } catch (e) {
        threw = String(e);
      } finally {
        globalThis.Promise = original;
      }
      return { before, threw, after: pending ? await pending : undefined };
    })).toEqual({ before: 123, threw: undefined, after: 456 });
  });
});
