/**
 * Overloads at the type level: the call (or construct) signatures of a function type, each as
 * its own single-signature function type, in declaration order.
 *
 * `F extends (...args: infer A) => infer R` sees only the last overload of `F`. These types
 * find the others by intersecting the signatures found so far with `F`: TypeScript drops a
 * signature of `F` identical to one already present, so inferring from `Found & F` yields the
 * last signature not found yet. The search stops once `Found` is assignable to `F` (every
 * signature found), when a step finds nothing new (a generic signature, which inference
 * erases, never compares identical), or after {@link MaxOverloads} signatures.
 *
 * @example
 * ```ts
 * declare function f(x: string): string;
 * declare function f(x: number): number;
 * type S = CallSignatures<typeof f>; // [(x: string) => string, (x: number) => number]
 * ```
 * @packageDocumentation
 */

/** The most overloads collected per function (Electron's `WebContents.on` has 59). */
export type MaxOverloads = 128;

/** Exact type equality (identity, not mutual assignability). */
type Same<X, Y> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? true : false;

type CollectCalls<F, Found, Acc extends unknown[], Prev> = Acc['length'] extends MaxOverloads
  ? Acc
  : Found & F extends (...args: infer A) => infer R
    ? Found extends F
      ? Acc
      : Same<(...args: A) => R, Prev> extends true
        ? Acc
        : CollectCalls<F, Found & ((...args: A) => R), [(...args: A) => R, ...Acc], (...args: A) => R>
    : Acc;

type CollectConstructs<F, Found, Acc extends unknown[], Prev> = Acc['length'] extends MaxOverloads
  ? Acc
  : Found & F extends abstract new (...args: infer A) => infer R
    ? Found extends F
      ? Acc
      : Same<new (...args: A) => R, Prev> extends true
        ? Acc
        : CollectConstructs<F, Found & (new (...args: A) => R), [new (...args: A) => R, ...Acc], new (...args: A) => R>
    : Acc;

/**
 * The call signatures of `F` in declaration order, one function type each (`[]` when `F` is
 * not callable). A generic signature comes out erased, its type parameters replaced by their
 * constraints (`unknown` when unconstrained), as `infer` always does.
 */
export type CallSignatures<F> = F extends (...args: never[]) => unknown ? CollectCalls<F, Pick<F, keyof F>, [], never> : [];

/** The construct signatures of `F` in declaration order, one constructor type each (`[]` when none). */
export type ConstructSignatures<F> = F extends abstract new (...args: never[]) => unknown
  ? CollectConstructs<F, Pick<F, keyof F>, [], never>
  : [];
