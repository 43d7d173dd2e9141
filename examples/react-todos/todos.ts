/**
 * The todo list main owns (a state actor) and the window-like emitter the page listens to.
 * The page imports only the types (`import type`), never this module's code.
 */
import { EventEmitter } from 'node:events';
import { stateActor } from 'remora/actors/state-actor';

/** One todo. */
export interface Todo {
  id: number;
  text: string;
  done: boolean;
}

/** The state main owns. */
export interface TodoState {
  items: Todo[];
}

/** The todos actor, with `n` items to start with. */
export function createTodos(n: number) {
  const initial: TodoState = { items: Array.from({ length: n }, (_, i) => ({ id: i + 1, text: `todo ${i + 1}`, done: false })) };
  return stateActor(initial, {
    toggle(d, id: number) {
      const t = d.items.find((x) => x.id === id);
      if (!t) throw new Error(`There is no todo #${id}.`);
      t.done = !t.done;
    },
  });
}

/** The actor's type, for `useConnectState<TodosActor>('todos')`. */
export type TodosActor = ReturnType<typeof createTodos>;

/** The events main's "window" emits. */
export type WindowEvents = { focus: [boolean] };

/** A stand-in for a BrowserWindow: an emitter of focus changes. */
export const createWindow = () => new EventEmitter<WindowEvents>();
