/**
 * Schemas as both sides see them: the structural shape of a Standard Schema (the interface zod
 * 4, valibot 1 and arktype implement), and the types an API defined from schemas gives its
 * renderer handle and its main-side implementation. Types only: remora depends on no
 * validation library, and a page bundle that imports these types pulls in nothing.
 *
 * The schema shape is written structurally here, so remora's published types need no package;
 * `specs/validation/schema-types.spec.ts` checks that it agrees with `@standard-schema/spec`.
 * @packageDocumentation
 */

/** One problem a schema found: what is wrong and where (keys from the validated value's root). */
export interface SchemaIssue {
  /** The schema library's description of the problem. */
  readonly message: string;
  /** Keys from the root to the offending value, each bare or wrapped in `{ key }`; absent when the schema gives none. */
  readonly path?: ReadonlyArray<PropertyKey | {
    /** One key of the path. */
    readonly key: PropertyKey;
  }> | undefined;
}

/** What a schema's `validate` returns: the (possibly transformed) value, or the issues. */
export type SchemaResult<Output> =
  | {
    /** The validated value, as the schema outputs it. */
    readonly value: Output;
    /** Absent on success. */
    readonly issues?: undefined;
  }
  | {
    /** Why the value was refused (at least one issue). */
    readonly issues: ReadonlyArray<SchemaIssue>;
  };

/**
 * Any schema implementing the Standard Schema interface (version 1): a `~standard` property
 * with `validate`, which may answer synchronously or with a promise (an async refinement).
 */
export interface StandardSchema<Input = unknown, Output = Input> {
  /** The Standard Schema properties (the `~` prefix sorts them last in editors' completions). */
  readonly '~standard': {
    /** The version of the Standard Schema interface implemented: 1. */
    readonly version: 1;
    /** The library that made the schema (`zod`, `valibot`, `arktype`, ...). */
    readonly vendor: string;
    /** Checks `value`: the (possibly transformed) output, or the issues; may answer with a promise. */
    readonly validate: (value: unknown) => SchemaResult<Output> | Promise<SchemaResult<Output>>;
    /** Type-only: the input and output types, for inference; never read at run time. */
    readonly types?: {
      /** The type the schema accepts. */
      readonly input: Input;
      /** The type the schema produces. */
      readonly output: Output;
    } | undefined;
  };
}

/** The type a schema accepts (what the renderer sends). */
export type SchemaInput<S> = S extends {
  /** A Standard Schema's properties. */
  readonly '~standard': {
    /** Its type-only input and output types. */
    readonly types?: infer T;
  };
} ? (NonNullable<T> extends {
  /** The type the schema accepts. */
  readonly input: infer I;
} ? I : unknown) : unknown;

/** The type a schema produces (what main's implementation receives). */
export type SchemaOutput<S> = S extends {
  /** A Standard Schema's properties. */
  readonly '~standard': {
    /** Its type-only input and output types. */
    readonly types?: infer T;
  };
} ? (NonNullable<T> extends {
  /** The type the schema produces. */
  readonly output: infer O;
} ? O : unknown) : unknown;

/** The schemas of one method: its argument list as a tuple schema, and optionally its result's. */
export interface MethodSchemas {
  /** A tuple schema for the whole argument list (`z.tuple([...])`, `v.tuple([...])`). */
  readonly args: StandardSchema;
  /** A schema for what main sends back; its output replaces the result (strip what must not leak). */
  readonly output?: StandardSchema;
}

/** An API described by schemas: one entry per method name. */
export type ApiSchemaShape = { readonly [method: string]: MethodSchemas };

/** `T` when it is an argument list (a tuple or array type), else `never`. @internal */
export type AsList<T> = T extends readonly unknown[] ? T : never;

/** The arguments main's implementation of method `M` receives: the args schema's output. */
export type ImplArgs<M extends MethodSchemas> = AsList<SchemaOutput<M['args']>>;
/** The arguments a renderer passes to method `M`: the args schema's input. */
export type CallArgs<M extends MethodSchemas> = AsList<SchemaInput<M['args']>>;

/** What main's implementation of `S` must look like: each method takes its schema's output. */
export type ImplementationOf<S extends ApiSchemaShape> = {
  [K in keyof S]: (
    ...args: ImplArgs<S[K]>
  ) => S[K] extends {
    /** The method's output schema: the implementation returns what it accepts. */
    readonly output: infer O;
  } ? SchemaInput<O> | PromiseLike<SchemaInput<O>> : unknown;
};

/**
 * What a renderer's call of method `M` gives back when the implementation returns `R`: the
 * output schema's output (in a promise when `R` is one), or `R` itself without an output schema.
 * @internal
 */
export type ResultFor<M, R> = M extends { readonly output: infer O } ? (R extends PromiseLike<unknown> ? Promise<SchemaOutput<O>> : SchemaOutput<O>) : R;

/**
 * The API a renderer sees for schemas `S` implemented by `I`: each method takes what its args
 * schema accepts and returns what its output schema produces (or, without one, what the
 * implementation returns). Wrap it in `Remote<...>` or `SyncRemote<...>` for a handle.
 */
export type ApiOf<S extends ApiSchemaShape, I = ImplementationOf<S>> = {
  [K in keyof S]: (...args: CallArgs<S[K]>) => ResultFor<S[K], K extends keyof I ? (I[K] extends (...a: never[]) => infer R ? R : unknown) : unknown>;
};

/** Anything carrying a defined API's phantom types (see `defineApi` in `remora/main`). */
export interface TypedApi<S extends ApiSchemaShape = ApiSchemaShape, I = unknown> {
  /** Type-only: the renderer's view of the API. Read it with {@link RemoteApiOf}. */
  readonly '~api'?: ApiOf<S, I>;
}

/** The renderer's API type of a value made by `defineApi`: `Remote<RemoteApiOf<typeof notes>>`. */
export type RemoteApiOf<D> = D extends {
  /** The defined API's phantom renderer type (see {@link TypedApi}). */
  readonly '~api'?: infer A;
} ? NonNullable<A> : never;
