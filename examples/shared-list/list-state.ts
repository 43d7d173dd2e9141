/**
 * The shared list: main owns it in a state actor; each renderer holds a replica.
 * Renderers import only the type (`import type { SharedList }`), never this module's code.
 */
import { stateActor } from 'remora/actors/state-actor';

/** One entry of the list. */
export interface Entry {
  id: number;
  text: string;
  done: boolean;
  /** Who added it. */
  by: string;
}

/** The state main owns. */
export interface ListState {
  nextId: number;
  title: string;
  entries: Entry[];
}

/** Create the list's state actor. */
export function createSharedList() {
  const initial: ListState = { nextId: 1, title: 'Groceries', entries: [] };
  return stateActor(initial, {
    add: {
      recipe(d, text: string, by: string) {
        d.entries.push({ id: d.nextId++, text, done: false, by });
      },
      validate: (text, by) => (typeof text === 'string' && text.trim() !== '' && typeof by === 'string') || 'add(text, by) needs two non-empty strings',
    },
    toggle(d, id: number) {
      const e = d.entries.find((x) => x.id === id);
      if (!e) throw new Error(`There is no entry #${id}.`);
      e.done = !e.done;
    },
    remove(d, id: number) {
      const i = d.entries.findIndex((x) => x.id === id);
      if (i < 0) throw new Error(`There is no entry #${id}.`);
      d.entries.splice(i, 1);
    },
    retitle: {
      recipe(d, title: string) {
        d.title = title;
      },
      validate: (title) => (typeof title === 'string' && title.length <= 40) || 'title must be a string of at most 40 characters',
    },
  });
}

/** The actor's type, for `replica<SharedList>(...)` in renderers. */
export type SharedList = ReturnType<typeof createSharedList>;
