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

/** Items per page in {@link makePagedTodos}. */
export const PAGE_ITEMS = 1000;

/**
 * The same items split into pages of {@link PAGE_ITEMS} (`{ pages: [{ items }] }`), with the
 * same `toggle(i)`: immer copies only the containers on the changed path (the page list and one
 * page), so an update's cost follows the page size, not the state's.
 */
export function makePagedTodos(items: number) {
  const pages = Array.from({ length: Math.ceil(items / PAGE_ITEMS) }, (_, p) => ({
    items: Array.from({ length: Math.min(PAGE_ITEMS, items - p * PAGE_ITEMS) }, (_, j) => {
      const i = p * PAGE_ITEMS + j;
      return { id: i, text: `item ${i}`, done: false };
    }),
  }));
  return stateActor({ pages }, {
    toggle(draft, i: number) {
      const it = draft.pages[Math.floor(i / PAGE_ITEMS)]!.items[i % PAGE_ITEMS]!;
      it.done = !it.done;
    },
  });
}

/** A todos state actor of `items` items with freezing off (`{ freeze: false }`), to show what the freeze walk costs. */
export function makeUnfrozenTodos(items: number) {
  return stateActor(initialTodos(items), {
    toggle(draft, i: number) {
      const it = draft.items[i]!;
      it.done = !it.done;
    },
  }, { freeze: false });
}
