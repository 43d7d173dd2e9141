/**
 * The notes API, defined from zod schemas (main imports it; renderers import only its type):
 * each method's arguments as a tuple, and an output schema that strips what must not leak.
 */
import { z } from 'zod';
import { defineApi } from 'remora/main';

const Id = z.string().regex(/^[a-z0-9-]{1,64}$/, 'ids are 1-64 of a-z, 0-9 and -');

/** What the implementation received, to show that refused calls never reached it. */
export const received: unknown[][] = [];

export const notes = defineApi(
  {
    save: { args: z.tuple([Id, z.string().max(10_000)]), output: z.object({ id: Id, bytes: z.number() }) },
    read: { args: z.tuple([Id]) },
  },
  () => {
    const store = new Map<string, string>();
    return {
      save: (id, text) => {
        received.push([id, text]);
        store.set(id, text);
        return { id, bytes: text.length, path: `/var/notes/${id}` }; // path is stripped by the output schema
      },
      read: (id) => {
        received.push([id]);
        return store.get(id) ?? null;
      },
    };
  },
);

/** The renderer's view of the API, inferred from the schemas and the implementation. */
export type NotesApi = import('remora/renderer').RemoteApiOf<typeof notes>;
