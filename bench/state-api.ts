/**
 * The state actor of the state case: 10 000 todo items, one `toggle` action. Shared (as a
 * type) with the renderer worker.
 */
import { stateActor } from '../actors/state-actor.js';

/** Items in the state. */
export const STATE_ITEMS = 10_000;

/** The initial state: `items` items (default `STATE_ITEMS`). */
export function initialTodos(items = STATE_ITEMS) {
  return { items: Array.from({ length: items }, (_, i) => ({ id: i, text: `item ${i}`, done: false })) };
}

/** A fresh todos state actor of `items` items (default `STATE_ITEMS`; the cost-growth case uses 1k to 100k). */
export function makeTodos(items = STATE_ITEMS) {
  return stateActor(initialTodos(items), {
    toggle(draft, i: number) {
      const it = draft.items[i]!;
      it.done = !it.done;
    },
  });
}

/** Its type, for `connectState<TodosActor>(client, 'todos')`. */
export type TodosActor = ReturnType<typeof makeTodos>;
