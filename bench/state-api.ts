/**
 * The state actor of the state case: 10 000 todo items, one `toggle` action. Shared (as a
 * type) with the renderer worker.
 */
import { stateActor } from '../actors/state-actor.js';

/** Items in the state. */
export const STATE_ITEMS = 10_000;

/** The initial state: `STATE_ITEMS` items. */
export function initialTodos() {
  return { items: Array.from({ length: STATE_ITEMS }, (_, i) => ({ id: i, text: `item ${i}`, done: false })) };
}

/** A fresh todos state actor. */
export function makeTodos() {
  return stateActor(initialTodos(), {
    toggle(draft, i: number) {
      const it = draft.items[i]!;
      it.done = !it.done;
    },
  });
}

/** Its type, for `connectState<TodosActor>(client, 'todos')`. */
export type TodosActor = ReturnType<typeof makeTodos>;
