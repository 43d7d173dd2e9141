/**
 * Types from schemas, checked by the compiler (`tsc --noEmit` covers specs: a `@ts-expect-error`
 * that stops erroring fails the build): remora's structural StandardSchema agrees with
 * `@standard-schema/spec`; zod and valibot schemas fit it; an API made with `defineApi` types its
 * implementation from the schemas' outputs and the renderer's `Remote` / `SyncRemote` from their
 * inputs; and the same API works for real over a memory pair.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { z } from 'zod';
import { createBroker } from '../../src/entries/main.js';
import type { RemoteApiOf, SchemaInput, SchemaOutput, StandardSchema } from '../../src/contracts/schema.js';
import { defineApi } from '../../src/main/schema-api.js';
import { connect } from '../../src/renderer/index.js';
import type { Remote, SyncRemote } from '../../src/renderer/types.js';
import { createMemoryPair } from '../../src/transports/memory.js';

const schemas = {
  save: { args: z.tuple([z.string(), z.object({ n: z.coerce.number() })]), output: z.object({ id: z.string() }) },
  list: { args: v.strictTuple([v.pipe(v.number(), v.integer())]) },
} as const;

const notes = defineApi(schemas, () => ({
  save: (id, body) => {
    expectTypeOf(id).toEqualTypeOf<string>();
    expectTypeOf(body).toEqualTypeOf<{ n: number }>();
    return { id, secret: 1 };
  },
  list: async (limit) => {
    expectTypeOf(limit).toEqualTypeOf<number>();
    return ['a', 'b'];
  },
}));

type Api = RemoteApiOf<typeof notes>;
declare const api: Remote<Api>;
declare const sapi: SyncRemote<Api>;

describe('types inferred from schemas', () => {
  it("matches @standard-schema/spec's interface both ways, and zod and valibot schemas fit it", () => {
    expectTypeOf<StandardSchemaV1<string, number>>().toExtend<StandardSchema<string, number>>();
    expectTypeOf<StandardSchema<string, number>>().toExtend<StandardSchemaV1<string, number>>();
    expectTypeOf(z.string()).toExtend<StandardSchema>();
    expectTypeOf(v.string()).toExtend<StandardSchema>();
    expectTypeOf<SchemaInput<typeof schemas.save.args>>().toEqualTypeOf<[string, { n: unknown }]>();
    expectTypeOf<SchemaOutput<typeof schemas.save.args>>().toEqualTypeOf<[string, { n: number }]>();
  });

  it("types the renderer's handle from the schemas' inputs and outputs", () => {
    const typeOnly = (): void => {
      expectTypeOf(api.save('a', { n: '3' })).resolves.toEqualTypeOf<{ id: string }>();
      expectTypeOf(api.list(10)).resolves.toEqualTypeOf<string[]>();
      expectTypeOf(sapi.save('a', { n: 1 })).toEqualTypeOf<{ id: string }>();
      // @ts-expect-error: the first argument must be a string
      void api.save(1, { n: 1 });
      // @ts-expect-error: the body is required
      void api.save('a');
      // @ts-expect-error: not a method of the API
      void api.remove('a');
      // @ts-expect-error: list takes a number
      void sapi.list('ten');
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it("refuses an implementation that drifts from the schemas", () => {
    // @ts-expect-error: save's id arrives as a string, not a number
    defineApi(schemas, () => ({ save: (id: number) => ({ id: String(id) }), list: () => [] }));
    // @ts-expect-error: save must return what its output schema accepts
    defineApi(schemas, () => ({ save: () => ({ id: 1 }), list: () => [] }));
    // @ts-expect-error: list is missing
    defineApi(schemas, () => ({ save: (id: string) => ({ id }) }));
  });

  it('works for real: coerced input in, stripped output back (memory pair)', async () => {
    const broker = createBroker();
    broker.exposeModule('notes', notes.create, notes.options);
    const pair = createMemoryPair();
    broker.connect(pair.main);
    const client = connect(pair.renderer);
    const remote = (await client.require('notes')) as unknown as Remote<Api>;
    expect(await remote.save('x', { n: '4' })).toEqual({ id: 'x' });
    expect(await remote.list(2)).toEqual(['a', 'b']);
    await expect(remote.list('ten' as unknown as number)).rejects.toMatchObject({ code: 'E_BAD_ARGS' });
    client.close();
  });
});
