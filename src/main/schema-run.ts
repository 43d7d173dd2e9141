/**
 * Running one Standard Schema on one value, the same way for every schema library: its
 * `~standard.validate` answers a value or issues, now or (async refinements) later. The issues
 * are flattened to `{ path, message }` with plain keys, ready to cross the wire; a schema that
 * throws is reported as an issue, so a broken schema refuses the call rather than letting it
 * through.
 * @packageDocumentation
 */
import type { SchemaIssue, SchemaResult, StandardSchema } from '../contracts/schema.js';

/** One problem, as it travels on `E_BAD_ARGS` / `E_BAD_RESULT` (`error.issues`). */
export interface ValidationIssue {
  /** Where, from the validated value's root: for arguments, the first key is the argument's index. */
  readonly path: readonly (string | number)[];
  /** The schema library's description of the problem. */
  readonly message: string;
}

/** The outcome of one check: the schema's output, or its issues. */
export type CheckOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** True when the check is still running (an async schema). */
export function isPending(o: CheckOutcome | Promise<CheckOutcome>): o is Promise<CheckOutcome> {
  return typeof (o as Promise<CheckOutcome>).then === 'function';
}

/** Validate `value` with `schema`: the outcome now, or a promise of it for an async schema. Never throws. */
export function runSchema(schema: StandardSchema, value: unknown): CheckOutcome | Promise<CheckOutcome> {
  let result: SchemaResult<unknown> | Promise<SchemaResult<unknown>>;
  try {
    result = schema['~standard'].validate(value);
  } catch (e) {
    return threw(e);
  }
  if (typeof (result as Promise<unknown>).then === 'function') return (result as Promise<SchemaResult<unknown>>).then(outcome, threw);
  return outcome(result as SchemaResult<unknown>);
}

function outcome(r: SchemaResult<unknown>): CheckOutcome {
  if (r.issues === undefined) return { ok: true, value: r.value };
  return { ok: false, issues: r.issues.map(flatten) };
}

function threw(e: unknown): CheckOutcome {
  return { ok: false, issues: [{ path: [], message: `the schema threw: ${e instanceof Error ? e.message : String(e)}` }] };
}

function flatten(i: SchemaIssue): ValidationIssue {
  const path = (i.path ?? []).map((k) => {
    const key = typeof k === 'object' && k !== null ? k.key : k;
    return typeof key === 'number' ? key : String(key);
  });
  return { path, message: String(i.message) };
}
