/**
 * Handle types of overloaded, generic and event-emitter methods, checked by the compiler
 * (`tsc --noEmit` covers specs: a `@ts-expect-error` that stops erroring fails the build), and
 * the same calls made for real over a memory pair.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { Observable } from 'rxjs';
import type { BrowserWindow, Event as ElectronEvent, WebContents } from 'electron';
import { createBroker } from '../../src/entries/main.js';
import { connect, fromRemoteEvent } from '../../src/renderer/index.js';
import type { PendingArg, Remote, RemoteCall, SyncRemote } from '../../src/renderer/types.js';
import type { Calls } from '../../src/renderer/overloads.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { type Formatter, type HandleTypesApi, Label, type Settings, type TickEvents, type Ticker, makeHandleTypesApi } from '../fixtures/handle-types-api.js';

// Type-level only: the functions using these are never called.
declare const api: Remote<HandleTypesApi>;
declare const sapi: SyncRemote<HandleTypesApi>;
declare const fmt: Remote<Formatter>;
declare const sfmt: SyncRemote<Formatter>;
declare const win: Remote<BrowserWindow>;
declare const swin: SyncRemote<BrowserWindow>;
declare const ticker: Remote<EventEmitter<TickEvents>>;
declare const sticker: SyncRemote<EventEmitter<TickEvents>>;
declare const sub: Remote<Ticker>;
declare const plain: Remote<EventEmitter>;
declare const splain: SyncRemote<EventEmitter>;
declare const date: Date;

/** Main and a renderer over a memory pair; main keeps the API object to emit from it. */
function setup() {
  const impl = makeHandleTypesApi();
  const broker = createBroker();
  broker.exposeModule('types', () => impl);
  const { main, renderer } = createMemoryPair();
  broker.connect(main);
  const client = connect(renderer);
  return { impl, client, api: client.require<HandleTypesApi>('types') };
}

/** A promise of the next `n` values `push` receives. */
function collector<T>(n: number): { push: (v: T) => void; all: Promise<T[]> } {
  const seen: T[] = [];
  let done!: (v: T[]) => void;
  const all = new Promise<T[]>((r) => (done = r));
  return {
    push: (v) => {
      seen.push(v);
      if (seen.length === n) done(seen);
    },
    all,
  };
}

describe('overloaded methods', () => {
  it('finds every overload, in declaration order', () => {
    expectTypeOf<Calls<Formatter['format'], 'same'>>().toEqualTypeOf<
      ((x: string) => string) & ((x: number, digits: number) => string) & ((x: boolean) => 'yes' | 'no') & ((x: Date) => Label)
    >();
    expectTypeOf<Calls<(x: string) => number, 'same'>>().toEqualTypeOf<(x: string) => number>();
    expectTypeOf<Calls<string, 'same'>>().toBeUnknown();
    // Overlapping overloads: resolution still tries them in declaration order.
    interface Ordered {
      f(x: 'a'): 1;
      f(x: string): 2;
    }
    const ordered = async (o: Remote<Ordered>, so: SyncRemote<Ordered>) => {
      expectTypeOf(await o.f('a')).toEqualTypeOf<1>();
      expectTypeOf(await o.f('b')).toEqualTypeOf<2>();
      expectTypeOf(so.f('a')).toEqualTypeOf<1>();
    };
    void ordered;
    // The first and last declared of BrowserWindow's 36 and WebContents' 59 distinct `on` overloads.
    const typed = (on: Calls<BrowserWindow['on'], 'same'>, wcOn: Calls<WebContents['on'], 'same'>) => {
      on('always-on-top-changed', (_e, onTop) => expectTypeOf(onTop).toEqualTypeOf<boolean>());
      on('will-resize', (_e, bounds) => expectTypeOf(bounds.width).toEqualTypeOf<number>());
      wcOn('audio-state-changed', () => undefined);
      wcOn('zoom-changed', (_e, direction) => expectTypeOf(direction).toEqualTypeOf<'in' | 'out'>());
    };
    void typed;
  });

  it('keeps each overload with its own arguments and result, async and sync', () => {
    const typed = async () => {
      expectTypeOf(await fmt.format('a')).toEqualTypeOf<string>();
      expectTypeOf(await fmt.format(1.5, 2)).toEqualTypeOf<string>();
      expectTypeOf(await fmt.format(true)).toEqualTypeOf<'yes' | 'no'>();
      expectTypeOf(await fmt.format(date)).toEqualTypeOf<Remote<Label>>();
      expectTypeOf(fmt.format(date).shout()).toEqualTypeOf<RemoteCall<string>>(); // pipelined
      expectTypeOf(await api.formatter.format(true)).toEqualTypeOf<'yes' | 'no'>();
      // @ts-expect-error a number needs its digits (overload 2)
      void fmt.format(1);
      // @ts-expect-error no overload takes an object
      void fmt.format({});

      expectTypeOf(sfmt.format('a')).toEqualTypeOf<string>();
      expectTypeOf(sfmt.format(true)).toEqualTypeOf<'yes' | 'no'>();
      expectTypeOf(sfmt.format(date)).toEqualTypeOf<SyncRemote<Label>>();
      expectTypeOf(sapi.formatter.format(date).shout()).toEqualTypeOf<string>();
      // @ts-expect-error a number needs its digits
      sfmt.format(1);
    };
    void typed;
  });

  it('types every event of a real BrowserWindow (Electron typings), async and sync', () => {
    const typed = async () => {
      // Main's Event has methods: the listener receives a handle to it.
      expectTypeOf(win.on('close', (e) => expectTypeOf(e).toEqualTypeOf<Remote<ElectronEvent>>())).toEqualTypeOf<RemoteCall<BrowserWindow>>();
      await win.on('close', async (e) => expectTypeOf(await e.defaultPrevented).toEqualTypeOf<boolean>());
      await win.on('resize', () => undefined);
      await win.once('focus', () => undefined);
      await win.on('always-on-top-changed', (_e, onTop) => expectTypeOf(onTop).toEqualTypeOf<boolean>());
      await win.removeListener('close', () => undefined);
      await win.off('resize', () => undefined);
      expectTypeOf(await win.on('blur', () => undefined)).toEqualTypeOf<Remote<BrowserWindow>>();
      await win.on('close', () => undefined).on('resize', () => undefined); // `this` pipelines
      await win.webContents.on('did-finish-load', () => undefined);
      expectTypeOf(await win.getSize()).toEqualTypeOf<number[]>();
      // @ts-expect-error not an event of BrowserWindow
      void win.on('rezise', () => undefined);
      // @ts-expect-error the listener of "always-on-top-changed" takes (Event, boolean)
      void win.on('always-on-top-changed', (_e, onTop: string) => onTop);
      // @ts-expect-error the event arrives as a handle, not as main's object
      void win.on('close', (_e: ElectronEvent) => undefined);

      expectTypeOf(swin.on('close', () => undefined)).toEqualTypeOf<SyncRemote<BrowserWindow>>();
      swin.on('resize', () => undefined).once('focus', () => undefined);
      expectTypeOf(swin.getSize()).toEqualTypeOf<number[]>();
      // @ts-expect-error not an event of BrowserWindow
      swin.on('rezise', () => undefined);
    };
    void typed;
  });
});

describe('EventEmitter<Events>', () => {
  it('checks event names and types listeners from Events on on/once/off and friends', () => {
    const typed = async () => {
      await ticker.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>());
      await ticker.once('named', (name, at) => {
        expectTypeOf(name).toEqualTypeOf<string>();
        expectTypeOf(at).toEqualTypeOf<Date>();
      });
      await ticker.addListener('done', () => undefined);
      await ticker.on('labelled', (label) => expectTypeOf(label).toEqualTypeOf<Remote<Label>>()); // methods: a handle
      await ticker.prependListener('tick', () => undefined);
      await ticker.off('tick', (_n: number) => undefined);
      await ticker.removeListener('done', () => undefined);
      await ticker.removeAllListeners('tick');
      expectTypeOf(await ticker.emit('tick', 1)).toEqualTypeOf<boolean>();
      expectTypeOf(await ticker.listenerCount('done')).toEqualTypeOf<number>();
      expectTypeOf(await ticker.on('done', () => undefined)).toEqualTypeOf<Remote<EventEmitter<TickEvents>>>();
      await ticker.on('tick', () => undefined).once('done', () => undefined); // `this` pipelines
      expectTypeOf(await ticker.eventNames()).toEqualTypeOf<Array<keyof TickEvents>>();
      // @ts-expect-error not an event of TickEvents
      void ticker.on('tock', () => undefined);
      // @ts-expect-error "tick" delivers a number
      void ticker.on('tick', (_s: string) => undefined);
      // @ts-expect-error "tick" is emitted with a number
      void ticker.emit('tick', 'one');
      // @ts-expect-error not an event of TickEvents
      void ticker.listenerCount('tock');

      // Through a property of the API, still unresolved: the same types.
      await api.ticker.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>());
      // @ts-expect-error not an event of TickEvents
      void api.ticker.on('tock', () => undefined);
    };
    void typed;
  });

  it('types the sync flavour the same way', () => {
    const typed = () => {
      expectTypeOf(sticker.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>())).toEqualTypeOf<SyncRemote<EventEmitter<TickEvents>>>();
      sticker
        .once('named', (name, at) => {
          expectTypeOf(name).toEqualTypeOf<string>();
          expectTypeOf(at).toEqualTypeOf<Date>();
        })
        .off('done', () => undefined);
      expectTypeOf(sticker.emit('done')).toEqualTypeOf<boolean>();
      expectTypeOf(sticker.listenerCount('tick')).toEqualTypeOf<number>();
      sapi.ticker.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>());
      // @ts-expect-error not an event of TickEvents
      sticker.on('tock', () => undefined);
      // @ts-expect-error "tick" delivers a number
      sticker.on('tick', (_s: string) => undefined);
    };
    void typed;
  });

  it('checks the names of a subclass of EventEmitter<Events> (its listener arguments are not recoverable: any)', () => {
    const typed = async () => {
      await sub.on('tick', (n: number) => n);
      await sub.once('done', () => undefined);
      // @ts-expect-error not an event of TickEvents
      void sub.on('tock', () => undefined);
    };
    void typed;
  });

  it('accepts any event name and any listener on a plain EventEmitter', () => {
    const typed = async () => {
      expectTypeOf(await plain.on('anything', (a: number, b: string) => [a, b])).toEqualTypeOf<Remote<EventEmitter>>();
      await plain.once(Symbol.for('s'), () => undefined).off('other', (..._args: unknown[]) => undefined);
      await plain.emit('anything', 1, 'two');
      expectTypeOf(splain.on('anything', () => undefined)).toEqualTypeOf<SyncRemote<EventEmitter>>();
      splain.emit('x', 1);
      await api.plain.on('x', (v: unknown) => v);
    };
    void typed;
  });

  it('accepts any event name on a subclass of a plain EventEmitter, fromRemoteEvent included', () => {
    class Notes extends EventEmitter {
      count(): number {
        return 0;
      }
    }
    const typed = async (notes: Remote<Notes>, syncNotes: SyncRemote<Notes>) => {
      await notes.on('changed', (n: number) => n).once('other', () => undefined);
      syncNotes.on('changed', () => undefined);
      expectTypeOf(fromRemoteEvent(notes, 'changed')).toEqualTypeOf<Observable<unknown>>();
      expectTypeOf(fromRemoteEvent<number>(syncNotes, 'changed')).toEqualTypeOf<Observable<number>>();
    };
    void typed;
  });
});

describe('generic methods', () => {
  it('stay callable with any argument and give unknown, which an annotation narrows', () => {
    const typed = async () => {
      expectTypeOf(await api.echo(5)).toBeUnknown();
      expectTypeOf(await api.echo({ deep: [1] })).toBeUnknown();
      const n = (await api.echo(5)) as number;
      expectTypeOf(n).toEqualTypeOf<number>();
      expectTypeOf(await api.first([1, 2])).toBeUnknown();
      // The erased constraint still applies: `first` takes an array.
      // @ts-expect-error not an array
      void api.first(5);
      expectTypeOf(sapi.echo('s')).toBeUnknown();
    };
    void typed;
  });

  it('keep the constraint of a type parameter', () => {
    const typed = async () => {
      expectTypeOf(api.setting).parameters.toEqualTypeOf<[key: keyof Settings | PendingArg<keyof Settings>]>();
      expectTypeOf(await api.setting('zoom')).toEqualTypeOf<string | number>();
      // @ts-expect-error not a key of Settings
      void api.setting('size');
      expectTypeOf(sapi.setting('theme')).toEqualTypeOf<string | number>();
    };
    void typed;
  });

  it('accept anything for a parameter TypeScript can only type never once the method is erased', () => {
    interface Picky {
      when<K extends 'a' | 'b'>(name: K, value: K extends 'a' ? number : string): void;
      emitLike<K>(name: K, ...args: K extends 'x' ? [number] : never): void;
    }
    const typed = async (p: Remote<Picky>, s: SyncRemote<Picky>) => {
      await p.when('a', 1);
      await p.when('b', 'one');
      await p.emitLike('x', 1);
      s.when('a', 1);
    };
    void typed;
  });
});

describe('methods that always throw', () => {
  it('give a promise that rejects (never), still catchable', () => {
    const typed = async () => {
      expectTypeOf(api.fail()).toEqualTypeOf<RemoteCall<never>>();
      expectTypeOf(await api.fail().catch(() => 'caught' as const)).toEqualTypeOf<'caught'>();
    };
    void typed;
  });
});

describe('handle types at runtime (memory pair)', () => {
  it('calls each overload of a remote method and gets its own result', async () => {
    const { api } = setup();
    expect(await api.formatter.format('a')).toBe('"a"');
    expect(await api.formatter.format(1.5, 2)).toBe('1.50');
    expect(await api.formatter.format(false)).toBe('no');
    expect(await api.formatter.format(new Date(Date.UTC(2026, 10, 26))).shout()).toBe('2026-11-26');
  });

  it('fires typed listeners registered through a chained on/once, and removes one with off', async () => {
    const { impl, api } = setup();
    const ticks = collector<number>(2);
    const named = collector<[string, Date]>(1);
    const onTick = (n: number) => ticks.push(n * 10);
    await api.ticker.on('tick', onTick).once('named', (name, at) => named.push([name, at]));
    impl.ticker.emit('tick', 1);
    impl.ticker.emit('named', 'first', new Date(0));
    impl.ticker.emit('tick', 2);
    expect(await ticks.all).toEqual([10, 20]);
    expect(await named.all).toEqual([['first', new Date(0)]]);
    expect(impl.ticker.listenerCount('named')).toBe(0); // once
    expect(await api.ticker.listenerCount('tick')).toBe(1);
    await api.ticker.off('tick', onTick);
    expect(impl.ticker.listenerCount('tick')).toBe(0);
  });

  it('fires a listener on a plain EventEmitter, and emits on it from the renderer', async () => {
    const { impl, api } = setup();
    const got = collector<unknown[]>(2);
    await api.plain.on('anything', (...args: unknown[]) => got.push(args));
    impl.plain.emit('anything', 1, 'two');
    expect(await api.plain.emit('anything', 3)).toBe(true);
    expect(await got.all).toEqual([[1, 'two'], [3]]);
  });

  it('hands a typed listener an object with methods as a handle it can call', async () => {
    const { impl, api } = setup();
    const shouted = collector<string>(1);
    await api.ticker.on('labelled', async (label) => shouted.push(await label.shout()));
    impl.ticker.emit('labelled', new Label('hi'));
    expect(await shouted.all).toEqual(['HI']);
  });

  it('round-trips a generic method, the caller naming the type', async () => {
    const { api } = setup();
    const v = (await api.echo({ a: [1, 2] })) as { a: number[] };
    expect(v.a).toEqual([1, 2]);
    expect(await api.first(['x', 'y'])).toBe('x');
    expect(await api.setting('zoom')).toBe(2);
  });

  it('rejects the call of a method that always throws', async () => {
    const { api } = setup();
    expect(await api.fail().catch((e: Error) => e.message)).toBe('always');
  });

  it('does the same through sync handles', async () => {
    const { impl, client } = setup();
    const sync = client.remote.require<HandleTypesApi>('types');
    expect(sync.formatter.format(true)).toBe('yes');
    expect(sync.formatter.format(new Date(Date.UTC(2026, 0, 2))).shout()).toBe('2026-01-02');
    const ticks = collector<number>(1);
    sync.ticker.on('tick', (n) => ticks.push(n + 1));
    impl.ticker.emit('tick', 41);
    expect(await ticks.all).toEqual([42]);
    expect(sync.echo('s')).toBe('s');
  });
});
