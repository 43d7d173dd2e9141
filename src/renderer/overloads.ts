/**
 * Overloads at the type level: every call (or construct) signature of a function type,
 * rewritten one by one for a handle, in declaration order.
 *
 * `F extends (...args: infer A) => infer R` sees only the last overload of `F`. These types
 * find the others by intersecting the signatures found so far with `F`: TypeScript drops a
 * signature of `F` identical to one already present, so inferring from `Found & F` yields the
 * last signature not found yet. The search stops when a step finds the signature it found
 * last (everything found, or a generic signature: inference erases its type parameters, so it
 * never compares identical and would come back forever), or after {@link MaxOverloads}.
 *
 * Limits: a signature declared *before* a generic overload is not found (the generic one stays
 * last); a generic signature comes out erased, its type parameters replaced by their
 * constraints (`unknown` when unconstrained).
 *
 * The rewrite is a parameter ({@link SignatureRewrite}), so this module imports nothing: the
 * handle types (types.ts) pass theirs in, and the dependency points one way.
 *
 * @example
 * ```ts
 * declare function f(x: string): string;
 * declare function f(x: number): number;
 * type S = Calls<typeof f, 'same'>; // ((x: string) => string) & ((x: number) => number)
 * // with the async handles' rewrite (types.ts):
 * type H = Calls<typeof f, AsyncSignature>; // ((x: string) => RemoteCall<string>) & ((x: number) => RemoteCall<number>)
 * ```
 * @packageDocumentation
 */

/** The most overloads kept per function (Electron's `WebContents.on` has 59). */
export type MaxOverloads = 128;

/**
 * How each signature is rewritten, as a type-level function: `call` and `construct` read the
 * signature's parameters and result from `this['args']` and `this['result']`. The handle
 * types define theirs (types.ts), so this module knows nothing of handles.
 *
 * @example
 * ```ts
 * interface Promised extends SignatureRewrite {
 *   readonly call: (...args: ArgsOf<this>) => Promise<this['result']>;
 *   readonly construct: new (...args: ArgsOf<this>) => Promise<this['result']>;
 * }
 * type P = Calls<typeof f, Promised>;
 * ```
 */
export interface SignatureRewrite {
  readonly args: unknown;
  readonly result: unknown;
  readonly call: unknown;
  readonly construct: unknown;
}

/** The parameters of the signature a {@link SignatureRewrite} is applied to. */
export type ArgsOf<R extends SignatureRewrite> = Extract<R['args'], readonly unknown[]>;

/** Keeps each signature as declared. */
interface KeepSignature extends SignatureRewrite {
  readonly call: (...args: ArgsOf<this>) => this['result'];
  readonly construct: new (...args: ArgsOf<this>) => this['result'];
}

/** How one signature is rewritten: a {@link SignatureRewrite}, or `'same'` to keep it as declared. */
export type SignatureKind = SignatureRewrite | 'same';

type Applied<Kind, A, R> = (Kind extends SignatureRewrite ? Kind : KeepSignature) & { readonly args: A; readonly result: R };
type RewriteCall<Kind, A, R> = Applied<Kind, A, R>['call'];
type RewriteConstruct<Kind, A, I> = Applied<Kind, A, I>['construct'];

/** Exact type equality (identity, not mutual assignability). */
type Same<X, Y> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? true : false;

// Found: the signatures found so far;
// Acc: their rewrites, first declared first; N: a counter; Prev: the signature found last.
type CollectCalls<F, Kind, Found, Acc, N extends unknown[], Prev> = N['length'] extends MaxOverloads
  ? Acc
  : Found & F extends (...args: infer A) => infer R
    ? Same<(...args: A) => R, Prev> extends true
      ? Acc
      : CollectCalls<F, Kind, Found & ((...args: A) => R), RewriteCall<Kind, A, R> & Acc, [...N, 0], (...args: A) => R>
    : Acc;

type CollectConstructs<F, Kind, Found, Acc, N extends unknown[], Prev> = N['length'] extends MaxOverloads
  ? Acc
  : Found & F extends abstract new (...args: infer A) => infer I
    ? Same<new (...args: A) => I, Prev> extends true
      ? Acc
      : CollectConstructs<F, Kind, Found & (new (...args: A) => I), RewriteConstruct<Kind, A, I> & Acc, [...N, 0], new (...args: A) => I>
    : Acc;

/**
 * Every call signature of `F`, each rewritten as `Kind` says, intersected in declaration order
 * (so overload resolution picks as it would on `F`); `unknown` when `F` is not callable.
 */
export type Calls<F, Kind extends SignatureKind> = F extends (...args: never[]) => unknown
  ? CollectCalls<F, Kind, unknown, unknown, [], never>
  : unknown;

/** Every construct signature of `F`, rewritten and ordered as in {@link Calls}; `unknown` when none. */
export type Constructs<F, Kind extends SignatureKind> = F extends abstract new (...args: never[]) => unknown
  ? CollectConstructs<F, Kind, unknown, unknown, [], never>
  : unknown;
