/**
 * fromRemoteEvent's types, checked by the compiler (`tsc --noEmit` covers specs): names and
 * values come from the emitter's type where it declares them.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import type { Observable } from 'rxjs';
import { fromRemoteEvent, type RemoteEventName, type RemoteTargetOf } from '../../src/renderer/streams.js';
import type { Remote, SyncRemote } from '../../src/renderer/types.js';
import type { FakeWindow, WindowEvents } from '../fixtures/streams-api.js';

interface Api {
  events: EventEmitter<WindowEvents>;
  win: FakeWindow;
  plain: EventEmitter;
}

// Type-level only: these functions are never called.
declare const api: Remote<Api>;
declare const events: Remote<EventEmitter<WindowEvents>>;
declare const syncEvents: SyncRemote<EventEmitter<WindowEvents>>;
declare const win: Remote<FakeWindow>;
declare const plain: Remote<EventEmitter>;

describe('fromRemoteEvent types', () => {
  it('finds the main-side type behind async, sync and pending handles', () => {
    expectTypeOf<RemoteTargetOf<typeof events>>().toEqualTypeOf<EventEmitter<WindowEvents>>();
    expectTypeOf<RemoteTargetOf<typeof syncEvents>>().toEqualTypeOf<EventEmitter<WindowEvents>>();
    expectTypeOf<RemoteTargetOf<typeof api.win>>().toEqualTypeOf<FakeWindow>();
    expectTypeOf<RemoteTargetOf<string>>().toBeUnknown();
  });

  it('types values from an EventEmitter<Events>: none → undefined, one → the value, several → the tuple', () => {
    const typed = () => {
      expectTypeOf(fromRemoteEvent(events, 'resize')).toEqualTypeOf<Observable<[width: number, height: number]>>();
      expectTypeOf(fromRemoteEvent(events, 'close')).toEqualTypeOf<Observable<string>>();
      expectTypeOf(fromRemoteEvent(events, 'focus')).toEqualTypeOf<Observable<undefined>>();
      expectTypeOf(fromRemoteEvent(syncEvents, 'resize')).toEqualTypeOf<Observable<[width: number, height: number]>>();
      expectTypeOf(fromRemoteEvent(api.events, 'close')).toEqualTypeOf<Observable<string>>();
      // @ts-expect-error a name the emitter does not declare
      fromRemoteEvent(events, 'rezise');
    };
    void typed;
  });

  it('checks names and types values of a subclass of EventEmitter<Events> too', () => {
    expectTypeOf<RemoteEventName<typeof win>>().toEqualTypeOf<keyof WindowEvents>();
    const typed = () => {
      expectTypeOf(fromRemoteEvent(win, 'resize')).toEqualTypeOf<Observable<[width: number, height: number]>>();
      // An explicit value type is always possible.
      expectTypeOf(fromRemoteEvent<[number, number]>(win, 'resize')).toEqualTypeOf<Observable<[number, number]>>();
    };
    void typed;
  });

  it('accepts any name on an emitter that declares none', () => {
    expectTypeOf<RemoteEventName<typeof plain>>().toEqualTypeOf<string>();
    const typed = () => {
      expectTypeOf(fromRemoteEvent(plain, 'anything')).toEqualTypeOf<Observable<unknown>>();
      expectTypeOf(fromRemoteEvent<number>(plain, 'tick')).toEqualTypeOf<Observable<number>>();
    };
    void typed;
  });
});
