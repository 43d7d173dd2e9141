/**
 * Values by copy across the boundary, as @electron/remote's "typeUtils serialization" and
 * "remote value in browser" groups check them: a renderer (real worker thread) sends values to
 * main's `values` module and gets them back, through `client.remote` and the async handles.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from 'remora/main';
import { makeValues, typedArrayCases } from './support/main-fixtures.js';
import { probeRenderer, stopProbes } from './support/probe.js';

afterEach(stopProbes);

async function setup() {
  const broker = createBroker();
  broker.exposeModule('values', makeValues);
  broker.exposeGlobal('Uint8Array', Uint8Array);
  return probeRenderer(broker);
}

describe('values by copy (compat, worker thread)', () => {
  it('copies an array to main and back, in both flavours', async () => {
    const r = await setup();
    expect(await r.run(async (ctx) => {
      const sync = ctx.remote.require('values').echo([1, 2, 3, 4, 5]);
      const values = await ctx.client.require<{ echo(v: unknown): unknown }>('values');
      return { sync, async: await values.echo([1, 2, 3, 4, 5]) };
    })).toEqual({ sync: [1, 2, 3, 4, 5], async: [1, 2, 3, 4, 5] });
  });

  it('copies a plain object with any key to main and back, in both flavours', async () => {
    const r = await setup();
    const obj = { hello: 'world', 'answer-to-everything': 42, nested: { list: [1, 'a'] } };
    expect(await r.run(async (ctx, o) => {
      const values = await ctx.client.require<{ echo(v: unknown): unknown }>('values');
      return [ctx.remote.require('values').echo(o), await values.echo(o)];
    }, obj)).toEqual([obj, obj]);
  });

  it('copies booleans, and main sees them as Boolean values', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return { kind: v.kindOf(Boolean(true)), back: v.echo(true), falseBack: v.echo(false) };
    })).toEqual({ kind: 'Boolean', back: true, falseBack: false });
  });

  it('copies numbers, and main sees them as Number values', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return { kind: v.kindOf(Number(42)), back: v.echo(42), negZero: Object.is(v.echo(-0), -0) };
    })).toEqual({ kind: 'Number', back: 42, negZero: true });
  });

  it('copies strings, and main sees them as String values', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return { kind: v.kindOf(String('Hello World!')), back: v.echo('Hello World!') };
    })).toEqual({ kind: 'String', back: 'Hello World!' });
  });

  it('preserves NaN both ways', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return [Number.isNaN(v.nan()), Number.isNaN(v.echo(Number.NaN))];
    })).toEqual([true, true]);
  });

  it('preserves Infinity both ways', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return [v.infinity(), v.echo(Number.POSITIVE_INFINITY), v.echo(Number.NEGATIVE_INFINITY)];
    })).toEqual([Infinity, Infinity, -Infinity]);
  });

  it('copies a Date to main as a Date and back with the same time', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const now = new Date();
      const back = v.echo(now);
      return { kind: v.kindOf(now), isDate: back instanceof Date, same: back.getTime() === now.getTime() };
    })).toEqual({ kind: 'Date', isDate: true, same: true });
  });

  it('copies an Error to main and back with its message', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const back = v.echo(new Error('oh no'));
      return { kind: v.kindOf(new Error('x')), isError: back instanceof Error, message: back.message };
    })).toEqual({ kind: 'Error', isError: true, message: 'oh no' });
  });

  // New finding beside issue 17 (an it.fails until its fix): a RegExp from a renderer was refused with E_BAD_VALUE.
  it('copies a RegExp to main as a RegExp and back with its source and flags', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const back = v.echo(/ab+c/gi);
      return { kind: v.kindOf(/x/), isRegExp: back instanceof RegExp, text: String(back) };
    })).toEqual({ kind: 'RegExp', isRegExp: true, text: '/ab+c/gi' });
  });

  it('keeps the constructor name of a Buffer in main (Buffer, not a plain object)', async () => {
    const r = await setup();
    expect(await r.run((ctx) => ctx.remote.require('values').kindOf(Buffer.from('test')))).toBe('Buffer');
  });

  it('copies a Buffer back byte for byte, alone, inside an object and inside an array', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      return {
        alone: Buffer.from('hello').equals(v.echo(Buffer.from('hello'))),
        inObject: Buffer.from('bar').equals(v.echo({ a: 'foo', b: Buffer.from('bar') }).b),
        inArray: Buffer.from('baz').equals(v.echo([1, 2, Buffer.from('baz')])[2]),
      };
    })).toEqual({ alone: true, inObject: true, inArray: true });
  });

  it('copies an ArrayBuffer to main as an ArrayBuffer and back with its bytes', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const buf = new ArrayBuffer(8);
      new DataView(buf).setFloat64(0, Math.PI);
      const back = v.echo(buf);
      return { kind: v.kindOf(buf), isArrayBuffer: back instanceof ArrayBuffer, pi: new DataView(back).getFloat64(0) };
    })).toEqual({ kind: 'ArrayBuffer', isArrayBuffer: true, pi: Math.PI });
  });

  for (const [type, values] of typedArrayCases) {
    it(`copies a ${type} both ways, keeping its kind and its elements`, async () => {
      const r = await setup();
      expect(await r.run((ctx, t, vals) => {
        const v = ctx.remote.require('values');
        const made = v.typed(t, vals);
        const local = new (globalThis as unknown as Record<string, new (a: number[]) => ArrayLike<number>>)[t]!(vals);
        const back = v.echo(local);
        return { made: [...made], madeKind: made.constructor.name, kindInMain: v.kindOf(local), back: [...back], backKind: back.constructor.name };
      }, type, values)).toEqual({ made: values, madeKind: type, kindInMain: type, back: values, backKind: type });
    });
  }

  it('constructs a remote typed array class without crashing', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const RemoteUint8Array = ctx.remote.getGlobal('Uint8Array') as unknown as new (n: number) => Uint8Array;
      const made = new RemoteUint8Array(3);
      return made.length;
    })).toBe(3);
  });

  it('copies a value that refers to itself with its cycles intact (not cut to null)', async () => {
    // Deliberate difference: @electron/remote replaced the repeated reference with null; remora keeps the graph.
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const a: unknown[] = ['foo'];
      const b = [a, 'bar'];
      a.push(b);
      const [a2, b2] = v.returnArgs(a, b);
      const o: Record<string, unknown> = { bar: 'baz' };
      o.foo = { back: o };
      const [o2] = v.returnArgs(o);
      return { arrayCycle: a2[1][0] === a2, crossArgs: b2[0][1] === b2, objectCycle: o2.foo.back === o2, bar: o2.bar };
    })).toEqual({ arrayCycle: true, crossArgs: true, objectCycle: true, bar: 'baz' });
  });

  it('copies a value shared by two arguments into each of them', async () => {
    const r = await setup();
    expect(await r.run((ctx) => {
      const v = ctx.remote.require('values');
      const shared = [1, 2, 3];
      const inner = { foo: 'bar' };
      return [v.returnArgs({ foo: shared }, { bar: shared }), v.returnArgs({ foo: inner }, { bar: inner })];
    })).toEqual([[{ foo: [1, 2, 3] }, { bar: [1, 2, 3] }], [{ foo: { foo: 'bar' } }, { bar: { foo: 'bar' } }]]);
  });
});
