/**
 * The example's main-side service: a small notes store. Main exposes it as module "notes";
 * the renderer imports only its type.
 */
import { EventEmitter } from 'node:events';

/** One note. */
export interface Note {
  id: number;
  text: string;
  at: string;
}

/** A notes store that emits `changed` with the new count. */
export class Notes extends EventEmitter {
  private readonly items: Note[] = [];
  private nextId = 1;

  /** Add a note; returns it (plain data, copied to the renderer). */
  add(text: string): Note {
    const note = { id: this.nextId++, text: String(text).slice(0, 500), at: new Date().toISOString() };
    this.items.push(note);
    this.emit('changed', this.items.length);
    return note;
  }

  /** All notes (copied). */
  list(): Note[] {
    return this.items.map((n) => ({ ...n }));
  }

  /** Number of notes. */
  count(): number {
    return this.items.length;
  }
}
