/**
 * Issue 16 items 10 and 11: `require` and `module` are forbidden by what they are, and a
 * detached function ref runs with a `this` that reaches no globals. Real worker renderers.
 */
import Module, { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { crashDetector, hostileRenderer, type Outcome } from './support.js';

let workers: Worker[] = [];
let detector: ReturnType<typeof crashDetector> | undefined;
afterEach(async () => {
  detector?.dispose();
  detector = undefined;
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

describe('a CommonJS main handing out its require or module', () => {
  it('refuses require, module objects and the module loader\'s internals with E_DENIED', async () => {
    detector = crashDetector();
    const req = createRequire(import.meta.url);
    const mod = new Module('fake-main');
    const M = Module as unknown as { _load: unknown; _cache: unknown; _extensions: unknown; prototype: { require: unknown } };
    const broker = createBroker();
    broker.exposeModule('cjs', () => ({
      getRequire: () => req,
      getModule: () => mod,
      getCache: () => req.cache,
      getExtensions: () => M._extensions,
      getLoad: () => M._load,
      getProtoRequire: () => M.prototype.require,
      getModuleClass: () => Module,
      getCreateRequire: () => createRequire,
      inArray: () => [req],
      holder: { req, label: 'x' },
      mod,
    }));
    const r = await hostileRenderer(broker, workers);
    const tries: Array<[string, Outcome]> = [];
    for (const m of ['getRequire', 'getModule', 'getCache', 'getExtensions', 'getLoad', 'getProtoRequire', 'getModuleClass', 'getCreateRequire', 'inArray']) {
      tries.push([m, await r.run<Outcome>('call', 'cjs', [m])]);
    }
    tries.push(['holder.req', await r.run<Outcome>('read', 'cjs', ['holder', 'req'])]);
    tries.push(['mod.require()', await r.run<Outcome>('call', 'cjs', ['mod', 'require'], ['node:child_process'])]);
    tries.push(['mod', await r.run<Outcome>('read', 'cjs', ['mod'])]);
    for (const [what, o] of tries) expect({ what, ok: o.ok, code: o.error?.remoraCode }).toEqual({ what, ok: false, code: 'E_DENIED' });
    expect(detector.text()).toEqual([]);
  });
});

describe('a detached function ref', () => {
  it('runs with a this that reaches no globals, even in sloppy code', async () => {
    detector = crashDetector();
    // Function-constructor code is sloppy: `this` would be globalThis when called with undefined.
    const sloppy = new Function('v', 'this.__remoraPwned = v; return typeof this === "object" && this !== null && this === globalThis;') as (v: unknown) => boolean;
    const broker = createBroker();
    broker.exposeModule('fns', () => ({ getSloppy: () => sloppy, obj: { sloppy } }));
    const r = await hostileRenderer(broker, workers);
    const o = await r.run<Outcome>('call', 'fns', ['getSloppy'], []);
    expect(o.ok).toBe(true);
    // Call the returned function ref itself (path [] on the ref): no receiver.
    const detached = await r.run<Outcome>('callReturned', 'fns', ['getSloppy'], [], ['pwned']);
    expect((globalThis as { __remoraPwned?: unknown }).__remoraPwned).toBeUndefined();
    expect(detached.ok ? detached.value : detached.error?.remoraCode).not.toBe(true);
    // Called as a method, `this` is its object, as before.
    expect(await r.run<Outcome>('call', 'fns', ['obj', 'sloppy'], ['as-method'])).toEqual({ ok: true, value: false });
    expect((globalThis as { __remoraPwned?: unknown }).__remoraPwned).toBeUndefined();
    expect(detector.text()).toEqual([]);
  });
});
