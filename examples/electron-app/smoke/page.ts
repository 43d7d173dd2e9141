/**
 * The smoke's page script (bundled to dist/smoke-page.js): commands main runs with
 * `executeJavaScript('smoke.run(name, ...args)')`, each returning plain data.
 */
import { connectElectron, remote } from 'remora/electron/renderer';
import type { SmokeApi } from './api.js';

const api = () => remote.require<SmokeApi>('api');
const report = (fn: () => unknown): unknown => {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, code: (e as { code?: string }).code, message: (e as Error).message };
  }
};

const commands: Record<string, (...a: any[]) => unknown> = {
  add: (a: number, b: number) => api().add(a, b),
  busy: () => {
    const win = remote.getCurrentWindow();
    win.on('resize', () => undefined);
    api().on('tick', () => undefined);
    return api().add(1, 1);
  },
  /** A sync call that blocks the page `ms` (main answers late). */
  syncWait: (ms: number) => report(() => api().wait(ms)),
  ordering: async () => {
    const asyncApi = await connectElectron().require<SmokeApi>('api');
    for (let i = 1; i <= 100; i++) void asyncApi.push(i);
    return api().last(); // 100 if async sends before a sendSync arrive first
  },
  roundTrip: async () => {
    const v = { u8: new Uint8Array([1, 2, 3]), date: new Date(86_400_000), map: new Map([['k', 1]]), big: 2n ** 70n };
    const back = api().echo(v) as unknown as typeof v;
    const err = report(() => api().fail()) as { code?: string };
    let asyncErr: any;
    try {
      await (await connectElectron().require<SmokeApi>('api')).fail();
    } catch (e) {
      asyncErr = e;
    }
    return {
      u8: back.u8 instanceof Uint8Array && [...back.u8].join() === '1,2,3',
      date: back.date instanceof Date && back.date.getTime() === 86_400_000,
      map: back.map instanceof Map && back.map.get('k') === 1,
      big: back.big === 2n ** 70n,
      syncErrorCode: err.code,
      asyncError: asyncErr?.name === 'RangeError' && asyncErr?.code === 'E_CUSTOM' && asyncErr?.detail?.at instanceof Date,
    };
  },
  /** Electron's own returnValue rules, through the smoke preload's test channel. */
  uncloneable: () => (globalThis as any).smokeIpc.uncloneable(),
};

(globalThis as any).smoke = {
  run: async (name: string, ...args: unknown[]) => {
    const fn = commands[name];
    if (!fn) throw new Error(`no smoke command ${name}`);
    return fn(...args);
  },
};
