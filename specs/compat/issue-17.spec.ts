/**
 * Issue 17, items 1-7: what ported `remote` code sees go silently wrong today, one spec per
 * item, across the real boundary (renderer in a worker thread, broker in this process). Each
 * spec gathers every facet of its item into one object, so a failure shows them all.
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { CompatRemote } from 'remora/renderer';
import { createBroker } from 'remora/main';
import * as f from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeGlobal('version', '1.2.3');
  broker.exposeGlobal('config', { theme: 'dark', sizes: [1, 2] });
  broker.exposeGlobal('widgets', [new f.Widget('a'), new f.Widget('b')]);
  broker.exposeModule('answer', () => 42);
  broker.exposeModule('data', () => ({ a: 1, list: ['x'] }));
  broker.exposeModule('settings', () => ({ get: (k: string) => k }));
  broker.exposeModule('fnprops', f.makeFunctionWithProperties);
  broker.exposeModule('props', f.makeProperties);
  broker.exposeModule('classes', f.makeClasses);
  broker.exposeModule('methods', f.makeMethods);
  broker.exposeModule('values', f.makeValues);
  broker.exposeModule('promises', f.makePromises);
  broker.exposeModule('thrower', f.makeThrower);
  return probeRenderer(broker);
}

describe('issue 17: remote compatibility where ported code looks (worker thread)', () => {
  // Issue 17 item 1 (an it.fails until its fix).
  it('copies primitive and plain-data globals and modules by value, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      /** The value itself where it can be posted to the spec, else what kind of handle it is. */
      const show = (v: unknown): unknown => {
        try {
          return structuredClone(v);
        } catch {
          return `a ${typeof v} handle: ${String(v)}`;
        }
      };
      const version = ctx.remote.getGlobal('version');
      const config = ctx.remote.getGlobal('config');
      return {
        syncVersion: show(version),
        asyncVersion: show(await ctx.client.getGlobal('version')),
        configJson: show(JSON.stringify(config)),
        configKeys: show(Object.keys(config)),
        asyncConfig: show(JSON.stringify(await ctx.client.getGlobal('config'))),
        syncModule: show(ctx.remote.require('answer')),
        asyncModule: show(await ctx.client.require('answer')),
        dataModule: show(JSON.stringify(ctx.remote.require('data'))),
      };
    })).toEqual({
      syncVersion: '1.2.3', asyncVersion: '1.2.3',
      configJson: '{"theme":"dark","sizes":[1,2]}', configKeys: ['theme', 'sizes'], asyncConfig: '{"theme":"dark","sizes":[1,2]}',
      syncModule: 42, asyncModule: 42, dataModule: '{"a":1,"list":["x"]}',
    });
  });

  // Issue 17 item 2 (an it.fails until its fix).
  it('makes a function-valued member read through a sync handle the remote function object', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const { greet } = ctx.remote.require('fnprops');
      const props = ctx.remote.require('props');
      props.marker.label = 'x';
      return {
        tag: greet.tag,
        name: greet.name,
        method1: ctx.caught(() => greet.method1()).value ?? 'threw',
        toStringIsMain: greet.toString().includes('hello'),
        writeSeenByMain: props.markerLabel(),
      };
    })).toEqual({ tag: 'baz', name: 'greet', method1: 'world', toStringIsMain: true, writeSeenByMain: 'x-main' });
  });

  // Issue 17 item 3 (an it.fails until its fix).
  it('makes object handles look like what they stand for to reflection', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const settings = ctx.remote.require('settings');
      const { base } = ctx.remote.require('classes');
      const widgets = ctx.remote.getGlobal('widgets');
      const m = ctx.remote.require('methods');
      const deleted = ctx.caught(() => delete m.answer);
      const printed = ctx.inspect(settings);
      return {
        typeofObject: typeof settings,
        hasIn: 'get' in settings,
        keys: Object.keys(settings),
        isArray: Array.isArray(widgets),
        protoHasMethod: Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(base) ?? {}, 'method'),
        deleteTruthful: !(deleted.value === true && ctx.caught(() => m.answer()).value === 1127),
        printsNoConnection: !/Connection|remora\.sync/.test(printed),
      };
    })).toEqual({ typeofObject: 'object', hasIn: true, keys: ['get'], isArray: true, protoHasMethod: true, deleteTruthful: true, printsNoConnection: true });
  });

  // Issue 17 item 4 (an it.fails until its fix).
  it('gives main callbacks with the arity the page declared, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const v = await ctx.client.require<{ arityOf(cb: (...a: never[]) => unknown): number }>('values');
      /* eslint-disable @typescript-eslint/no-unused-vars */
      return {
        sync: ctx.remote.require('values').arityOf((_a: unknown, _b: unknown, _c: unknown) => {}),
        async: await v.arityOf((_a: unknown, _b: unknown) => {}),
      };
      /* eslint-enable @typescript-eslint/no-unused-vars */
    })).toEqual({ sync: 3, async: 2 });
  });

  // Issue 17 item 5 (an it.fails until its fix).
  it('keeps working after the page replaced its global Promise, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const asyncPromises = await ctx.client.require<{ later(v: number): Promise<number> }>('promises');
      const syncPromises = ctx.remote.require('promises');
      const original = globalThis.Promise;
      const pending: Record<string, PromiseLike<unknown> | string> = {};
      (globalThis as { Promise: unknown }).Promise = { resolve: () => ({}) };
      try {
        try { pending.sync = syncPromises.later(1); } catch (e) { pending.sync = `threw ${String(e)}`; }
        try { pending.async = asyncPromises.later(2); } catch (e) { pending.async = `threw ${String(e)}`; }
      } finally {
        globalThis.Promise = original;
      }
      const settle = async (p: PromiseLike<unknown> | string) => (typeof p === 'string' ? p : await p);
      return { sync: await settle(pending.sync!), async: await settle(pending.async!) };
    })).toEqual({ sync: 1, async: 2 });
  });

  // Issue 17 item 6 (an it.fails until its fix).
  it('sends Object.create(null) to main without a prototype, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const v = await ctx.client.require<{ hasNullPrototype(o: object): boolean }>('values');
      return { sync: ctx.remote.require('values').hasNullPrototype(Object.create(null)), async: await v.hasNullPrototype(Object.assign(Object.create(null), { a: 1 })) };
    })).toEqual({ sync: true, async: true });
  });

  // Issue 17 item 7 (an it.fails until its fix).
  it('explains errors: names an anonymous class, keeps remora frames out of a thrown undefined, suggests an exposed name', async () => {
    const r = await setup();
    const out = await r.run((ctx) => ({
      anonymous: ctx.caught(() => ctx.remote.require('values').echo(new (class {})())).message,
      undefinedStack: ctx.caught(() => ctx.remote.require('thrower').throwIt(undefined)).stack,
      unknownName: ctx.caught(() => ctx.remote.require('setting')).message,
    }));
    expect({
      anonymousHasNoEmptyName: !/ {2}object/.test(out.anonymous ?? ''),
      anonymousSaysAnonymous: /anonymous/i.test(out.anonymous ?? ''),
      undefinedStackFreeOfRemora: !/src\/(main|protocol|renderer)\/|remora-fixtures/.test(out.undefinedStack ?? ''),
      suggestsSettings: /settings/.test(out.unknownName ?? ''),
    }).toEqual({ anonymousHasNoEmptyName: true, anonymousSaysAnonymous: true, undefinedStackFreeOfRemora: true, suggestsSettings: true });
  });
});

describe('issue 17: a "did you mean" only names what the policy lets the caller reach (worker thread)', () => {
  it('suggests a near exposed name the policy allows, and never one it refuses', async () => {
    const broker = createBroker({ policy: ({ name }) => !name.startsWith('secret') });
    broker.exposeModule('settings', () => ({ get: (k: string) => k }));
    broker.exposeModule('secretSettings', () => ({ get: (k: string) => k }));
    broker.exposeGlobal('secretToken', { read: () => 'x' });
    const r = await probeRenderer(broker);
    const out = await r.run((ctx) => ({
      near: ctx.caught(() => ctx.remote.require('setting')).message ?? '',
      refusedNear: ctx.caught(() => ctx.remote.require('sacretSettings')).message ?? '',
      global: ctx.caught(() => ctx.remote.getGlobal('secretTokn')).message ?? '',
    }));
    expect({
      suggestsAllowed: /Did you mean "settings"\?/.test(out.near),
      hidesRefused: !/secretSettings/.test(out.refusedNear) && !/secretToken/.test(out.global),
    }).toEqual({ suggestsAllowed: true, hidesRefused: true });
  });
});

describe('issue 17: types follow the copies', () => {
  it('types getGlobal<string>() and require<number>() of the sync remote as the values themselves', () => {
    type G = (r: CompatRemote) => ReturnType<typeof r.getGlobal<string>>;
    expectTypeOf<ReturnType<G>>().toEqualTypeOf<string>();
    type M = (r: CompatRemote) => ReturnType<typeof r.require<{ a: number; list: string[] }>>;
    expectTypeOf<ReturnType<M>>().toEqualTypeOf<{ a: number; list: string[] }>();
  });
});
