import { afterEach, describe, expect, it } from 'vitest';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

const denied = { threw: true, code: 'E_DENIED' };

describe('Electron security: the known escapes of Electron\'s remote are rejected', () => {
  it('rejects prototype walks, constructor.constructor, leaked built-ins and unexposed modules', async () => {
    app = electronApp();
    const win = await app.open();
    const r = await app.run<Record<string, unknown>>(win, 'escapes');
    // Prototype walks toward Function / process.
    expect(r.protoOfObject).toMatchObject(denied);
    expect(r.constructorOfObject).toMatchObject(denied);
    expect(r.inheritedToString).toMatchObject(denied);
    expect(r.hasOwnProperty).toMatchObject(denied);
    expect(r.prototypeOfClass).toMatchObject(denied);
    // constructor.constructor('return process')() and Function-from-a-method.
    expect(r.constructorConstructor).toMatchObject(denied);
    expect(r.fnConstructor).toMatchObject(denied);
    // Main objects that (wrongly) hand out process, Function, globalThis, eval.
    expect(r.leakedProcess).toMatchObject(denied);
    expect(r.leakedFunction).toMatchObject(denied);
    expect(r.leakedGlobal).toMatchObject(denied);
    expect(r.returnedProcess).toMatchObject(denied);
    expect(r.leakedEval).toMatchObject(denied);
    // Replacing a main method from the renderer.
    expect(r.replaceMethod).toMatchObject(denied);
    // Modules and globals main did not expose.
    expect(r.childProcess).toMatchObject(denied);
    expect(r.fs).toMatchObject(denied);
    expect(r.electron).toMatchObject(denied);
    // The window handle is a facade: no path to webContents (executeJavaScript, session, ...).
    expect(r.windowWebContents).toEqual({ threw: false });
    // The page keeps working after every refusal.
    expect(await app.run(win, 'require', 1, 2)).toBe(3);
  });

  it('rejects getGlobal("process") when main exposed no process snapshot', async () => {
    app = electronApp();
    app.broker.withdraw('global', 'process');
    const win = await app.open();
    expect((await app.run<Record<string, unknown>>(win, 'escapes')).processGlobal).toMatchObject(denied);
  });

  it('rejects refs a page never received (another page\'s ids) with E_NO_OBJECT', async () => {
    app = electronApp();
    const a = await app.open();
    const b = await app.open();
    await app.run(a, 'busy');
    const sa = app.electron.sessionsOf(a.webContents.id)[0]!;
    const heldByA: number[] = [];
    for (let id = 1; id <= 1000; id++) if (sa.refs.get(id)) heldByA.push(id);
    expect(heldByA.length).toBeGreaterThan(1);
    // B holds only the api root (ref 1 in its own table); every other id of A's is foreign to B.
    const foreign = heldByA.filter((id) => id !== 1);
    const replies = await app.run<{ t: string; text: string }[]>(b, 'foreignRefs', foreign);
    expect(replies).toHaveLength(foreign.length);
    for (const r of replies) {
      expect(r.t).toBe('fail');
      expect(r.text).toContain('E_NO_OBJECT');
    }
  });

  it('denies another window by default and allows it only through reachWindow', async () => {
    app = electronApp();
    const a = await app.open({ title: 'A' });
    const b = await app.open({ title: 'B' });
    expect(await app.run(b, 'otherWindow', a.id)).toMatchObject(denied);
    expect(await app.run(b, 'otherWindow', 9999)).toMatchObject({ threw: true, code: 'E_NO_OBJECT' });
    await app.shutdown();

    app = electronApp({ reachWindow: ({ session, window }) => session.info.webContentsId !== undefined && window.getTitle() === 'Shared' });
    const shared = await app.open({ title: 'Shared' });
    const secret = await app.open({ title: 'Secret' });
    const asker = await app.open({ title: 'Asker' });
    expect(await app.run(asker, 'otherWindow', shared.id)).toEqual({ threw: false, value: 'Shared' });
    expect(await app.run(asker, 'otherWindow', secret.id)).toMatchObject(denied);
  });

  it('applies a per-window policy to require and getGlobal', async () => {
    let restricted = -1;
    app = electronApp({ policy: (req) => !(req.session.info.webContentsId === restricted && req.kind === 'require') });
    const trusted = await app.open();
    const untrusted = await app.open();
    restricted = untrusted.webContents.id;
    expect(await app.run(trusted, 'require', 2, 3)).toBe(5);
    await expect(app.run(untrusted, 'require', 2, 3)).rejects.toMatchObject({ code: 'E_DENIED' });
    expect(await app.run(untrusted, 'getGlobal')).toEqual({ theme: 'dark', sizes: [1, 2, 3] });
  });
});
