/**
 * `remote.require`, as @electron/remote's "remote.require" group checks it: module identity,
 * data members, objects without a prototype, functions with properties, class statics, the
 * arity of callbacks. Renderer in a real worker thread, broker in this process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import * as f from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeModule('values', f.makeValues);
  broker.exposeModule('ident', () => ({ id: 1127 }));
  broker.exposeModule('fsLike', () => ({ readFileSync: (p: string) => p, sep: '/' }));
  broker.exposeModule('bare', () => ({ foo: Object.assign(Object.create(null) as object, { bar: 'baz', baz: false }), bar: 1234 }));
  broker.exposeModule('callable', f.makeCallableModule);
  broker.exposeModule('fnprops', f.makeFunctionWithProperties);
  broker.exposeModule('vanishing', f.makeVanishing);
  broker.exposeModule('statics', f.makeStatics);
  return probeRenderer(broker);
}

describe('remote.require (compat, worker thread)', () => {
  it('returns the same handle for the same module, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const sync = ctx.remote.require('fsLike') === ctx.remote.require('fsLike');
      const a = await ctx.client.require('fsLike');
      const b = await ctx.client.require('fsLike');
      return { sync, async: a === b };
    })).toEqual({ sync: true, async: true });
  });

  it('copies a module that is plain data on each require (equal copies, not one handle), in both flavours', async () => {
    // Deliberate difference (docs/migration.md): @electron/remote gave one remote object; remora copies plain data.
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const [a, b] = [ctx.remote.require('ident'), ctx.remote.require('ident')];
      const [c, d] = [await ctx.client.require('ident'), await ctx.client.require('ident')];
      return { syncSame: a === b, syncEqual: JSON.stringify(a) === JSON.stringify(b), asyncSame: c === d, asyncCopy: c };
    })).toEqual({ syncSame: false, syncEqual: true, asyncSame: false, asyncCopy: { id: 1127 } });
  });

  it('reads a member called id like any other member', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const { id } = ctx.remote.require('ident');
      const asyncIdent = await ctx.client.require<{ id: number }>('ident');
      return [id, await asyncIdent.id];
    })).toEqual([1127, 1127]);
  });

  it('reads members of a main object that has no prototype', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const a = ctx.remote.require('bare');
      return [a.foo.bar, a.foo.baz, a.bar];
    })).toEqual(['baz', false, 1234]);
  });

  // Issue 17 item 6 (an it.fails until its fix).
  it('sends an object without a prototype to main without giving it one', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return { nullProto: v.hasNullPrototype(Object.create(null)), kind: v.kindOf(Object.create(null)) };
    })).toEqual({ nullProto: true, kind: '' });
  });

  it('refuses to send an instance of a renderer class (only plain data travels by copy)', async () => {
    // Deliberate difference: @electron/remote sent it as a plain object; remora asks the caller to copy it.
    const r = await setup();
    const out = await r.run((ctx) => ctx.caught(() => ctx.remote.require('values').kindOf(new (class Named {})())));
    expect(out).toMatchObject({ threw: true, code: 'E_BAD_VALUE' });
  });

  it('calls a module that is itself a function, and reads its own properties', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const a = ctx.remote.require('callable') as unknown as (() => string) & { tag: string };
      const asyncA = await ctx.client.require<(() => string) & { tag: string }>('callable');
      return { type: typeof a, tag: a.tag, called: a(), asyncTag: await asyncA.tag, asyncCalled: await asyncA() };
    })).toEqual({ type: 'function', tag: 'baz', called: 'called', asyncTag: 'baz', asyncCalled: 'called' });
  });

  // Issue 17 item 3 (an it.fails until its fix).
  it('reports typeof object for a module that is a plain object', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => [typeof ctx.remote.require('fnprops'), typeof (await ctx.client.require('fnprops'))])).toEqual(['object', 'object']);
  });

  it('calls a function-valued member', async () => {
    const r = await setup();
    expect(await r.run((ctx) => ctx.remote.require('fnprops').greet())).toBe('hello');
  });

  // Issue 17 item 2 (an it.fails until its fix).
  it('reads the own properties of a function-valued member, data and nested objects', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const { greet } = ctx.remote.require('fnprops');
      return { tag: greet.tag, nested: ctx.caught(() => greet.nested.prop).value };
    })).toEqual({ tag: 'baz', nested: 'yes' });
  });

  // Issue 17 item 2 (an it.fails until its fix).
  it('calls a function-valued property of a function-valued member, and its own function property', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const { greet } = ctx.remote.require('fnprops');
      return [ctx.caught(() => greet.method1()).value, ctx.caught(() => greet.method1.inner()).value];
    })).toEqual(['world', 123]);
  });

  it('reads the own properties of a function-valued member through the async handle', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const a = await ctx.client.require<ReturnType<typeof import('./support/main-fixtures.js').makeFunctionWithProperties>>('fnprops');
      return [await a.greet(), await a.greet.tag, await a.greet.nested.prop, await a.greet.method1(), await a.greet.method1.inner()];
    })).toEqual(['hello', 'baz', 'yes', 'world', 123]);
  });

  it('sees a property of a function member that main deleted as undefined on the next read', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const box = ctx.remote.require('vanishing').setup();
      const ran = box.run();
      return { ran, extra: box.run.extra === undefined ? 'undefined' : typeof box.run.extra };
    })).toEqual({ ran: true, extra: 'undefined' });
  });

  it('uses a class member: typeof, static method, static property, new and an instance method', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const { Shape } = ctx.remote.require('statics');
      return { type: typeof Shape, made: Shape.make(), tag: Shape.tag, area: new Shape().area() };
    })).toEqual({ type: 'function', made: 3, tag: 'baz', area: 123 });
  });

  // Issue 17 item 4 (an it.fails until its fix).
  it('gives main a callback with the arity the renderer declared', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      /* eslint-disable @typescript-eslint/no-unused-vars */
      return [v.arityOf((_a: unknown, _b: unknown, _c: unknown) => {}), v.arityOf((_a: unknown) => {}), v.arityOf((..._rest: unknown[]) => {})];
      /* eslint-enable @typescript-eslint/no-unused-vars */
    })).toEqual([3, 1, 0]);
  });
});
