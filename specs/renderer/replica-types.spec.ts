/**
 * The replica's types, checked by the compiler (`tsc --noEmit` covers specs): a replica that
 * `connectState` resolves with has its first snapshot, so its `state` is the state type,
 * while a replica made with `replica()` may still be waiting (`state` may be `undefined`).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ActionsOf } from '../../src/contracts/state.js';
import { connectState, replica, type ReadyReplica, type RemoraClient, type Replica } from '../../src/renderer/index.js';
import type { ListActor, ListState } from '../fixtures/state-list.js';

// Type-level only: these values are never used at run time.
declare const client: RemoraClient;
declare const handle: unknown;

describe('replica types', () => {
  it('types the state of a replica connectState resolved with as the state itself, never undefined', () => {
    const typed = async () => {
      const list = await connectState<ListActor>(client, 'list');
      expectTypeOf(list).toEqualTypeOf<ReadyReplica<ListState, ActionsOf<ListActor>>>();
      expectTypeOf(list.state).toEqualTypeOf<ListState>();
      expectTypeOf(list.state.meta.title).toEqualTypeOf<string>(); // no optional chaining needed
      // Still a replica: everything a Replica offers, dispatch typed by the actor's actions.
      expectTypeOf(list).toExtend<Replica<ListState, ActionsOf<ListActor>>>();
      expectTypeOf(list.ready).toEqualTypeOf<Promise<ListState>>();
    };
    void typed;
  });

  it('keeps undefined in the state of a replica that may not have its first snapshot yet', () => {
    const r = () => replica<ListActor>(handle);
    expectTypeOf<ReturnType<typeof r>['state']>().toEqualTypeOf<ListState | undefined>();
    expectTypeOf<ReturnType<typeof r>>().not.toExtend<ReadyReplica<ListState, ActionsOf<ListActor>>>();
  });
});
