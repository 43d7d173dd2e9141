import { afterEach, describe, expect, it } from 'vitest';
import { type ElectronApp, electronApp } from '../support/electron-standin/harness.js';
import { until } from '../support/workers.js';

let app: ElectronApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

describe('window and webContents actors: events as typed Observables', () => {
  it('delivers resize, move, focus and maximize with plain payloads', async () => {
    app = electronApp();
    const win = await app.open({ x: 10, y: 20, width: 300, height: 200 });
    expect(await app.run(win, 'windowEvents')).toBe('subscribed');
    await until(() => win.listenerCount('resize') === 1 && win.listenerCount('maximize') === 1);

    const resized = app.nextEvent(win, 'resize');
    win.setSize(640, 480);
    expect((await resized).v).toEqual({ x: 10, y: 20, width: 640, height: 480 });

    const moved = app.nextEvent(win, 'move');
    win.setPosition(5, 6);
    expect((await moved).v).toEqual({ x: 5, y: 6, width: 640, height: 480 });

    const focused = app.nextEvent(win, 'focus');
    win.focus();
    expect(await focused).toEqual({ event: 'focus' });

    const maximized = app.nextEvent(win, 'maximize');
    win.maximize();
    expect(await maximized).toEqual({ event: 'maximize' });

    const devtools = app.nextEvent(win, 'devtools-opened');
    win.webContents.openDevTools();
    expect(await devtools).toEqual({ event: 'devtools-opened' });
  });

  it('removes main\'s listeners when the page unsubscribes', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'windowEvents');
    await until(() => win.listenerCount('resize') === 1);
    expect(app.broker.stats().subscriptions).toBe(5);
    await app.run(win, 'unsubscribeAll');
    await until(() => win.listenerCount('resize') === 0);
    expect(win.listenerCount('move') + win.listenerCount('focus') + win.listenerCount('maximize') + win.webContents.listenerCount('devtools-opened')).toBe(0);
    await until(() => app!.broker.stats().subscriptions === 0);
  });

  it('unsubscribes automatically when the page reloads', async () => {
    app = electronApp();
    const win = await app.open();
    await app.run(win, 'windowEvents');
    await until(() => win.listenerCount('resize') === 1);
    await app.reload(win);
    expect(win.listenerCount('resize') + win.listenerCount('move') + win.listenerCount('focus') + win.listenerCount('maximize')).toBe(0);
    expect(win.webContents.listenerCount('devtools-opened')).toBe(0);
    expect(app.broker.stats().subscriptions).toBe(0);
    // Events after the reload reach nobody and break nothing.
    expect(() => win.setSize(100, 100)).not.toThrow();
  });

  it('refuses events that are not on the window\'s allowlist', async () => {
    app = electronApp();
    const win = await app.open();
    const { WindowFacade } = await import('../../actors/window-actor.js');
    const facade = new WindowFacade(win);
    expect(() => facade.on('session-end' as never, () => undefined)).toThrow(expect.objectContaining({ code: 'E_DENIED' }));
  });
});
