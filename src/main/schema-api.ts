/**
 * An exposed API defined from its schemas, as tRPC defines procedures: one place names each
 * method's argument tuple (and optionally its output), main's implementation is typed from
 * the schemas' outputs, and the renderer's handle type is inferred from their inputs, so the
 * two sides cannot drift. The result carries the expose options that make main check every
 * call against those same schemas.
 *
 * @example
 * ```ts
 * // api/notes.ts (imported by main; the renderer imports only its type)
 * export const notes = defineApi(
 *   { save: { args: z.tuple([z.string().max(64), z.string()]), output: z.object({ id: z.string() }) } },
 *   () => ({ save: async (id, text) => ({ id, secret: 'stripped by the output schema' }) }),
 * );
 * broker.exposeModule('notes', notes.create, notes.options);
 * // renderer
 * const api = (await remote.require('notes')) as Remote<RemoteApiOf<typeof notes>>;
 * ```
 * @packageDocumentation
 */
import type { ApiSchemaShape, ImplementationOf, TypedApi } from '../contracts/schema.js';
import type { ValidationOptions } from './validation.js';

/** An API made by {@link defineApi}: its schemas, a factory of its implementation, its expose options. */
export interface DefinedApi<S extends ApiSchemaShape, I> extends TypedApi<S, I> {
  /** The schemas, by method name (give them to `schemas` in expose options, or to an object kind). */
  readonly schemas: S;
  /** Makes a fresh implementation (a module's factory: runs on first use and on restart). */
  readonly create: () => I;
  /** `{ schemas, validate: 'required' }`: every method of the API is checked, any other call refused. */
  readonly options: ValidationOptions & {
    /** The API's schemas (the same object as {@link DefinedApi.schemas}). */
    readonly schemas: S;
    /** Always `required`: a method or property without a schema is refused with `E_NO_SCHEMA`. */
    readonly validate: 'required';
  };
}

/**
 * Define an API from schemas (any Standard Schema library) and its implementation. The
 * implementation's parameters are typed from each args schema's output; a method with an output
 * schema must return what that schema accepts. Read the renderer's type with `RemoteApiOf`.
 */
export function defineApi<const S extends ApiSchemaShape, I extends ImplementationOf<S>>(schemas: S, create: () => I): DefinedApi<S, I> {
  return Object.freeze({ schemas, create, options: Object.freeze({ schemas, validate: 'required' as const }) });
}
