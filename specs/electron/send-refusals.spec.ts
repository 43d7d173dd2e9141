/**
 * The transport contract's rule for the Electron IPC transports: `send` and `replySync` never
 * throw. A message the IPC pipe cannot clone (`webContents.sendToFrame` / `ipcRenderer.send`
 * throwing "could not be cloned", or a value whose cloning throws something that is not an
 * Error) closes that connection with a typed reason (`refused`, `E_BAD_VALUE`) and the other
 * side is told, so its calls fail with `E_CLOSED` instead of hanging. A sync reply that cannot
 * be cloned fails that call with `E_BAD_VALUE` and never leaves the page blocked. Across the
 * Electron stand-in: main in this thread, each page (preload + page) in a worker thread.
 */
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/main/index.js';
import type { Transport } from '../../src/transport.js';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';
import type { StandinBrowserWindow } from '../support/electron-standin/main.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

/** An app whose broker hands the spec main's end of each page's connection (`patch` may wrap it first). */
function appWithEnds(patch?: (t: Transport) => void) {
  const a = electronApp();
  const ends: Transport[] = [];
  const connect = a.broker.connect.bind(a.broker);
  a.broker.connect = ((t: Transport, info?: Record<string, unknown>): Session => {
    patch?.(t);
    ends.push(t);
    return connect(t, info);
  }) as typeof a.broker.connect;
  return { a, ends };
}

/** Poll the page's `state` until `done` holds (bounded). */
async function pageState(a: ElectronApp, win: StandinBrowserWindow, done: (s: any) => boolean): Promise<any> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await a.run(win, 'state');
    if (done(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('main\'s IPC transport refuses what it cannot send, and never throws', () => {
  it('closes the page\'s session with refused/E_BAD_VALUE when sendToFrame cannot clone a message; the page\'s pending call fails with E_CLOSED', async () => {
    const { a, ends } = appWithEnds();
    app = a;
    const win = await a.open({ page: 'electron-refusals' });
    expect(await a.run(win, 'add', 1, 2)).toBe(3);
    await a.run(win, 'hang');
    const t = ends[0]!;
    const closed = firstValueFrom(t.closed$);
    expect(() => t.send({ t: 'ok', id: 1, v: () => 1 })).not.toThrow();
    const reason = await closed;
    expect(reason).toMatchObject({ kind: 'refused', code: 'E_BAD_VALUE' });
    expect(reason.detail).toContain('could not be cloned');
    expect(a.electron.sessionsOf(win.webContents.id)).toHaveLength(0);
    // The page was told: its pending call fails instead of hanging.
    const s = await pageState(a, win, (x) => x.hung?.remoraCode !== undefined);
    expect(s).toMatchObject({ closed: true, reason: { kind: 'refused' }, hung: { remoraCode: 'E_CLOSED' } });
  });

  it('refuses a value whose cloning throws something that is not an Error (a getter throwing null) the same way', async () => {
    const { a, ends } = appWithEnds();
    app = a;
    const win = await a.open({ page: 'electron-refusals' });
    expect(await a.run(win, 'add', 2, 2)).toBe(4);
    const t = ends[0]!;
    const reasons: unknown[] = [];
    t.closed$.subscribe((r) => reasons.push(r));
    const hostile = { t: 'ok', id: 1, get v(): unknown { throw null; } }; // eslint-disable-line no-throw-literal
    expect(() => t.send(hostile)).not.toThrow();
    expect(reasons).toMatchObject([{ kind: 'refused', code: 'E_BAD_VALUE' }]);
    expect((await pageState(a, win, (x) => x.closed)).closed).toBe(true);
  });

  it('answers a blocked page with E_BAD_VALUE when its sync reply cannot be cloned, even if cloning throws an unprintable value', async () => {
    let threw: unknown;
    const { a } = appWithEnds((t) => {
      const reply = t.replySync!.bind(t);
      t.replySync = (m: unknown) => {
        // The reply's value throws { toString: 0 } when cloned (String() of it throws too).
        const hostile = { ...(m as object), get v(): unknown { throw { toString: 0 }; } }; // eslint-disable-line no-throw-literal
        try {
          reply(hostile);
        } catch (e) {
          threw = e;
        }
      };
    });
    app = a;
    const win = await a.open();
    // `require` is a blocking remote.require(...).add(...): the page waits on main's reply.
    const outcome = await a.run(win, 'require', 1, 2).then(() => 'answered', (e: { remoraCode?: string }) => e.remoraCode);
    expect(threw).toBeUndefined();
    expect(outcome).toBe('E_BAD_VALUE');
  }, 30_000);
});

describe('the page\'s IPC transport refuses what it cannot send, and never throws', () => {
  it('closes the page\'s connection with refused/E_BAD_VALUE when ipcRenderer.send cannot clone a message; main\'s session ends', async () => {
    const { a, ends } = appWithEnds();
    app = a;
    const win = await a.open({ page: 'electron-refusals' });
    expect(await a.run(win, 'add', 1, 1)).toBe(2);
    const t = ends[0]!;
    const mainClosed = firstValueFrom(t.closed$);
    const r = await a.run(win, 'sendUncloneable');
    expect(r).toMatchObject({ threw: 'nothing', closed: true, reason: { kind: 'refused', code: 'E_BAD_VALUE' } });
    expect(r.reason.detail).toContain('could not be cloned');
    expect(await mainClosed).toMatchObject({ kind: 'renderer-closed' });
  });

  it('fails a blocking call whose message cannot be cloned with E_BAD_VALUE, and the connection goes on', async () => {
    app = electronApp();
    const win = await app.open({ page: 'electron-refusals' });
    expect(await app.run(win, 'add', 1, 1)).toBe(2);
    const r = await app.run(win, 'sendSyncUncloneable');
    expect(r).toMatchObject({ threw: { remoraCode: 'E_BAD_VALUE' }, closed: false });
    expect(await app.run(win, 'add', 2, 3)).toBe(5);
  });
});
