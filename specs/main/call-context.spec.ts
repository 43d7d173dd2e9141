import { describe, expect, it } from 'vitest';
import { callContext, createBroker } from '../../src/entries/main.js';
import { connect } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';

/** A module whose handlers keep renderer callbacks themselves, the way app code often does. */
function makePrefs() {
  const target = new EventTarget();
  const watchers = new Set<(key: string) => void>();
  const reasons: unknown[] = [];
  let late: AbortSignal | undefined;
  return {
    api: {
      /** Registers the callback on an EventTarget, removed through the session signal. */
      onChange(cb: (key: string) => void) {
        target.addEventListener('change', (e) => cb((e as CustomEvent<string>).detail), { signal: callContext()!.sessionSignal });
      },
      /** Stores the callback in a set, deleted when the session ends. */
      watch(cb: (key: string) => void) {
        const signal = callContext()!.sessionSignal;
        watchers.add(cb);
        signal.addEventListener('abort', () => {
          watchers.delete(cb);
          reasons.push(signal.reason);
        });
      },
      /** Keeps the context past its call, to read the signal after the session ended. */
      keepContext: () => {
        const ctx = callContext()!;
        setTimeout(() => (late = ctx.sessionSignal), 50);
      },
      set(key: string) {
        target.dispatchEvent(new CustomEvent('change', { detail: key }));
        for (const w of watchers) w(key);
      },
    },
    watchers,
    reasons,
    late: () => late,
  };
}
type Prefs = ReturnType<typeof makePrefs>['api'];

async function renderer(broker: ReturnType<typeof createBroker>) {
  const pair = createMemoryPair();
  const session = broker.connect(pair.main);
  const client = connect(pair.renderer);
  return { session, client, prefs: await client.require<Prefs>('prefs') };
}

describe('callContext().sessionSignal', () => {
  it('lets main-side code drop the renderer callbacks it kept when that renderer goes away, and only that renderer\'s', async () => {
    const broker = createBroker();
    const prefs = makePrefs();
    broker.exposeModule('prefs', () => prefs.api);
    const a = await renderer(broker);
    const b = await renderer(broker);
    const heardA: string[] = [];
    const heardB: string[] = [];
    for (const [r, heard] of [[a, heardA], [b, heardB]] as const) {
      await r.prefs.onChange((k) => void heard.push(`change:${k}`));
      await r.prefs.watch((k) => void heard.push(`watch:${k}`));
    }
    expect(prefs.watchers.size).toBe(2);
    await a.prefs.set('theme');
    await until(() => heardA.length === 2 && heardB.length === 2, 2000, 'both renderers to hear the change');

    a.client.close(); // as a reload, crash or closed window would
    await until(() => a.session.closed, 2000, 'the first session to end');
    expect(prefs.watchers.size).toBe(1);
    expect(prefs.reasons).toHaveLength(1);
    expect(prefs.reasons[0]).toMatchObject({ name: 'RemoraError', remoraCode: 'E_CLOSED' });

    await b.prefs.set('font');
    await until(() => heardB.length === 4, 2000, 'the surviving renderer to hear the next change');
    expect(heardB).toEqual(['change:theme', 'watch:theme', 'change:font', 'watch:font']);
    expect(heardA).toEqual(['change:theme', 'watch:theme']);
    // Main's own bookkeeping is back to one renderer's worth.
    expect(broker.stats()).toMatchObject({ sessions: 1 });
    b.client.close();
    await until(() => prefs.watchers.size === 0, 2000, 'the second renderer\'s watcher to go');
  });

  it('takes a listener per call for a whole session without Node warning about too many listeners', async () => {
    const broker = createBroker();
    const prefs = makePrefs();
    broker.exposeModule('prefs', () => prefs.api);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const a = await renderer(broker);
      for (let i = 0; i < 50; i++) await a.prefs.watch(() => undefined);
      expect(prefs.watchers.size).toBe(50);
      a.client.close();
      await until(() => prefs.watchers.size === 0, 2000, 'every watcher to go');
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('is already aborted when read after the session ended', async () => {
    const broker = createBroker();
    const prefs = makePrefs();
    broker.exposeModule('prefs', () => prefs.api);
    const a = await renderer(broker);
    await a.prefs.keepContext();
    a.client.close();
    await until(() => prefs.late() !== undefined, 2000, 'the late read');
    expect(prefs.late()!.aborted).toBe(true);
    expect(prefs.late()!.reason).toMatchObject({ remoraCode: 'E_CLOSED' });
  });
});

describe('callContext().onSessionEnd', () => {
  it('runs cleanup hooks when the renderer goes away, reports one that throws without throwing in main, and skips cancelled ones', async () => {
    const broker = createBroker();
    const ran: string[] = [];
    let cancelLater: (() => void) | undefined;
    broker.exposeModule('svc', () => ({
      register(name: string) {
        callContext()!.onSessionEnd(() => void ran.push(name));
      },
      failing() {
        callContext()!.onSessionEnd(() => {
          throw new Error('cleanup bug in app code');
        });
      },
      cancellable() {
        cancelLater = callContext()!.onSessionEnd(() => void ran.push('cancelled'));
      },
    }));
    const dropped: string[] = [];
    const sub = broker.inspect$.subscribe((e) => {
      if (e.kind === 'dropped') dropped.push(String(e.detail));
    });
    const pair = createMemoryPair();
    const session = broker.connect(pair.main);
    const client = connect(pair.renderer);
    const svc = await client.require<{ register(n: string): void; failing(): void; cancellable(): void }>('svc');
    await svc.register('first');
    await svc.failing();
    await svc.register('second');
    await svc.cancellable();
    cancelLater!();
    client.close();
    await until(() => session.closed, 2000, 'the session to end');
    expect(ran).toEqual(['first', 'second']);
    expect(dropped.some((d) => d.includes('cleanup bug in app code'))).toBe(true);
    // Main is fine: another renderer is served as usual.
    const other = connect(((p) => (broker.connect(p.main), p.renderer))(createMemoryPair()));
    const again = await other.require<{ register(n: string): void }>('svc');
    await again.register('third');
    other.close();
    await until(() => ran.includes('third'), 2000, 'the other session\'s hook');
    sub.unsubscribe();
  });
});
