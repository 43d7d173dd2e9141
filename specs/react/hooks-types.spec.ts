/**
 * remora/react's types, checked by the compiler (`tsc --noEmit` covers specs): selections,
 * event values, loaded handles and replicas are typed from main's declarations.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import type { Observable } from 'rxjs';
import type { Remote, RemoraClient, Replica } from '../../src/renderer/index.js';
import { useConnectState, useObservable, useObservableState, useRemora, useRemote, useRemoteEvent, useReplica, type ObservableState } from '../../src/react/index.js';
import type { TodoState, TodosActor } from '../e2e/fixtures/react-api.js';

interface Api {
  add(a: number, b: number): number;
  clock(): Observable<string>;
  bus: EventEmitter<{ theme: [string]; resize: [number, number]; blur: [] }>;
}

// Type-level only: these functions are never called (hooks need a React render).
declare const todos: Replica<TodoState, { toggle: (d: TodoState, id: number) => void }>;
declare const api: Remote<Api>;
declare const bus: Remote<Api['bus']>;
declare const n$: Observable<number>;

describe('remora/react types', () => {
  it('types useReplica by its selector, and the whole state without one', () => {
    const typed = () => {
      expectTypeOf(useReplica(todos)).toEqualTypeOf<TodoState>();
      expectTypeOf(useReplica(todos, (s) => s.items)).toEqualTypeOf<TodoState['items']>();
      expectTypeOf(useReplica(todos, (s) => s.items.length, (a, b) => a === b)).toEqualTypeOf<number>();
      // @ts-expect-error the state has no such field
      useReplica(todos, (s) => s.missing);
      // @ts-expect-error isEqual compares selections, not states
      useReplica(todos, (s) => s.title, (a: number, b: number) => a === b);
    };
    void typed;
  });

  it('types useObservable by the Observable and the initial value', () => {
    const typed = () => {
      expectTypeOf(useObservable(n$, 0)).toEqualTypeOf<number>();
      expectTypeOf(useObservable(undefined as Observable<string> | undefined, '')).toEqualTypeOf<string>();
      expectTypeOf(useObservableState(n$, 0)).toEqualTypeOf<ObservableState<number>>();
      const s = useObservableState(n$, 0);
      if (s.status === 'error') expectTypeOf(s.error).toBeUnknown();
      // @ts-expect-error the initial value must be of the Observable's type
      useObservable(n$, 'zero');
    };
    void typed;
  });

  it('types useRemoteEvent by the emitter\'s declared events', () => {
    const typed = () => {
      expectTypeOf(useRemoteEvent(bus, 'theme', 'light')).toEqualTypeOf<string>();
      expectTypeOf(useRemoteEvent(bus, 'resize', null)).toEqualTypeOf<[number, number] | null>();
      expectTypeOf(useRemoteEvent(undefined as Remote<Api['bus']> | undefined, 'blur', undefined)).toEqualTypeOf<undefined>();
      expectTypeOf(useRemoteEvent(api.bus, 'theme', '')).toEqualTypeOf<string>();
      // @ts-expect-error a name the emitter does not declare
      useRemoteEvent(bus, 'close', '');
    };
    void typed;
  });

  it('types useRemote by what the loader resolves to, handles included', () => {
    const typed = () => {
      expectTypeOf(useRemora()).toEqualTypeOf<RemoraClient>();
      expectTypeOf(useRemote((c) => c.require<Api>('api'))).toEqualTypeOf<Remote<Api> | undefined>();
      expectTypeOf(useRemote(async () => 42)).toEqualTypeOf<number | undefined>();
      expectTypeOf(useRemote(() => api.clock(), [api])).toEqualTypeOf<Observable<string> | undefined>();
      useRemote(async () => 'x', [], (v) => expectTypeOf(v).toEqualTypeOf<string>());
    };
    void typed;
  });

  it('types useConnectState with the main-side actor', () => {
    const typed = () => {
      const r = useConnectState<TodosActor>('todos');
      expectTypeOf(r).toExtend<Replica<TodoState, unknown> | undefined>();
      if (r) {
        expectTypeOf(useReplica(r, (s) => s.title)).toEqualTypeOf<string>();
        void r.dispatch('toggle', 3);
        // @ts-expect-error toggle takes an id
        void r.dispatch('toggle', 'three');
      }
    };
    void typed;
  });
});
