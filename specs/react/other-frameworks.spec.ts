/**
 * The docs' claim that other frameworks need no bindings: a replica's `state$` (an RxJS
 * Observable) already meets Svelte's store contract and what Solid's `from` and VueUse's
 * `useObservable` call on it. Each consumer is reduced to the one line it runs, against a real
 * replica over the in-memory transport (no framework installed).
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/entries/main.js';
import { connect, connectState } from '../../src/renderer/index.js';
import { createMemoryPair } from '../../src/transports/memory.js';
import { until } from '../support/workers.js';
import { createTodos, type TodosActor } from '../e2e/fixtures/react-api.js';

async function setup() {
  const broker = createBroker();
  const todos = createTodos(3);
  todos.expose(broker, 'todos');
  const pair = createMemoryPair();
  broker.connect(pair.main);
  const client = connect(pair.renderer);
  const replica = await connectState<TodosActor>(client, 'todos');
  return { todos, replica };
}

describe('RxJS Observables as other frameworks\' reactive sources', () => {
  it('meet Svelte\'s store contract: subscribe calls back at once with the current value and returns an unsubscriber', async () => {
    const { todos, replica } = await setup();
    const seen: string[] = [];
    // Svelte's `$store` does this: `const unsub = store.subscribe(run)`, later `unsub.unsubscribe?.() ?? unsub()`.
    const unsub = replica.state$.subscribe((s) => seen.push(s.title));
    expect(seen).toEqual(['Todos']); // synchronously, as the contract requires
    await todos.dispatch('retitle', 'Svelte');
    await until(() => seen.length === 2, 2000, 'the update');
    expect(typeof unsub.unsubscribe).toBe('function');
    unsub.unsubscribe();
    await until(() => todos.subscriberCount === 1, 2000, 'the replica to stay subscribed');
    await todos.dispatch('retitle', 'after');
    expect(seen).toEqual(['Todos', 'Svelte']);
  });

  it('fit Solid\'s `from` and VueUse\'s `useObservable`: subscribe(setter), then unsubscribe() on cleanup', async () => {
    const { todos, replica } = await setup();
    let signal: number | undefined;
    // What `from(obs)` (Solid) and `useObservable(obs)` (VueUse) run: subscribe with a setter; unsubscribe on cleanup.
    const sub = replica.select((s) => s.items.filter((i) => i.done).length).subscribe((v) => (signal = v));
    expect(signal).toBe(0);
    await replica.dispatch('toggle', 2);
    expect(signal).toBe(1);
    sub.unsubscribe();
    await todos.dispatch('toggle', 3);
    expect(signal).toBe(1);
  });
});
