/**
 * Validation of what renderers send, in main, before a call reaches its actor's mailbox. An
 * exposed module, global or object kind may carry Standard Schemas (zod, valibot, arktype, ...):
 * an argument-tuple schema per method, a schema per writable property, and an output schema
 * per method whose output replaces the result (to strip fields that must not leak). With
 * `validate: 'required'` a call to a method without a schema is refused.
 *
 * The schemas ride on the actor's own options (`actor.options`, given by `exposeModule` /
 * `exposeGlobal`), so the request table needs no table of its own: `validates(actor)` is a
 * few property reads, and an actor without schemas pays nothing more. A refused call answers
 * `E_BAD_ARGS` / `E_NO_SCHEMA` (the caller's fault: no supervisor hears of it) and shows on
 * `inspect$` as `refused`; an async schema is bounded by a deadline and by the call's abort.
 * @packageDocumentation
 */
import type { Actor } from '../actor/actor.js';
import type { Inspector } from '../actor/inspect.js';
import type { ApiSchemaShape, MethodSchemas, StandardSchema } from '../contracts/schema.js';
import * as errors from '../errors/factories.js';
import type { RemoraError } from '../errors.js';
import type { Call, CallOwner } from './call.js';
import type { Resolved } from './pipeline.js';
import { isPending, runSchema, type CheckOutcome } from './schema-run.js';

/** Schemas of one object kind living inside an actor: instances of `of` get them. */
export interface ObjectKindSchemas {
  /** The class whose instances (`value instanceof of`) these schemas describe. */
  readonly of: abstract new (...args: never[]) => object;
  /** Per method (the dotted path from the object, e.g. `save` or `drafts.save`). */
  readonly schemas?: ApiSchemaShape;
  /** Per writable property (dotted path): the schema a written value must pass. */
  readonly props?: { readonly [path: string]: StandardSchema };
}

/**
 * Validation options of an exposed module or global (part of `ExposeOptions`).
 * @example
 * ```ts
 * broker.exposeModule('notes', createNotes, {
 *   schemas: { save: { args: z.tuple([z.string().max(64), z.string().max(100_000)]) } },
 *   validate: 'required',
 * });
 * ```
 */
export interface ValidationOptions {
  /** Per method of the exposed object (dotted path from it): its argument tuple and, optionally, its output. */
  readonly schemas?: ApiSchemaShape;
  /** Per writable property of the exposed object (dotted path): the schema a written value must pass. */
  readonly props?: { readonly [path: string]: StandardSchema };
  /** Object kinds the exposed object hands out by reference, each with schemas of its own. */
  readonly objects?: readonly ObjectKindSchemas[];
  /**
   * `given` (default): calls to methods with a schema are checked, the others pass.
   * `required`: a call (or write) without a schema is refused with `E_NO_SCHEMA`.
   */
  readonly validate?: 'given' | 'required';
  /**
   * Most milliseconds an async schema may take before the call fails with `E_TIMEOUT`.
   * Default: the actor's `mailbox.deadlineMs`, else 10 000.
   */
  readonly validateTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** True when `actor` was exposed with any validation option (cheap: checked on every call). */
export function validates(actor: Actor): boolean {
  const o = actor.options as ValidationOptions;
  return o.schemas !== undefined || o.props !== undefined || o.objects !== undefined || o.validate === 'required';
}

interface SchemaSet {
  readonly schemas?: ApiSchemaShape | undefined;
  readonly props?: { readonly [path: string]: StandardSchema } | undefined;
}

/** The schemas describing `t`: the actor's own for its instance, an object kind's for an object. */
function setFor(o: ValidationOptions, t: Resolved): SchemaSet | undefined {
  if (t.root) return o;
  const value = t.value;
  if (o.objects && value !== null && (typeof value === 'object' || typeof value === 'function')) {
    for (const kind of o.objects) if (value instanceof kind.of) return kind;
  }
  return undefined;
}

function own<V>(table: { readonly [k: string]: V } | undefined, key: string): V | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function keyOf(path: readonly string[]): string {
  return path.length === 1 ? path[0]! : path.join('.');
}

/** The method schemas for `call` on `t` (apply / new), when it has some. */
function methodFor(call: Call, t: Resolved): MethodSchemas | undefined {
  const f = call.frame;
  if (f.t !== 'apply' && f.t !== 'new') return undefined;
  return own(setFor(t.actor.options as ValidationOptions, t)?.schemas, keyOf(f.path));
}

function describe(call: Call, t: Resolved): string {
  const f = call.frame as { path?: string[] };
  const key = f.path && f.path.length ? f.path.join('.') : '(target)';
  return `${call.op} "${key}" of ${t.actor.path}`;
}

/**
 * Check `call` against its target's schemas and then queue it in the target's mailbox, or
 * refuse it through `owner.replyFail`. The check's output replaces the call's arguments (or the
 * value to set). Synchronous schemas answer in this tick; async ones before the deadline.
 */
export function validateThenTell(call: Call, t: Resolved, inspector: Inspector, owner: Pick<CallOwner, 'replyFail'>): void {
  const o = t.actor.options as ValidationOptions;
  const f = call.frame;
  let schema: StandardSchema | undefined;
  if (f.t === 'apply' || f.t === 'new') schema = methodFor(call, t)?.args;
  else if (f.t === 'set') schema = own(setFor(o, t)?.props, keyOf(f.path));
  else {
    t.actor.tell(call); // reads carry no input
    return;
  }
  const refuse = (e: RemoraError): void => {
    if (inspector.active) inspector.emit('refused', { actor: t.actor.path, session: call.session, id: call.id, op: call.op, detail: `${e.remoraCode}: ${e.message}` });
    owner.replyFail(call, e);
  };
  if (schema === undefined) {
    if (o.validate === 'required') refuse(errors.noSchema({ where: describe(call, t) }));
    else t.actor.tell(call);
    return;
  }
  const isSet = f.t === 'set';
  const input = isSet ? call.value : call.args;
  const accept = (outcome: CheckOutcome): void => {
    if (!outcome.ok) return refuse(errors.schemaFailed({ where: describe(call, t), issues: outcome.issues }));
    if (isSet) call.value = outcome.value;
    else if (Array.isArray(outcome.value)) call.args = outcome.value;
    else return refuse(errors.schemaFailed({ where: describe(call, t), issues: [{ path: [], message: 'the arguments schema must produce a list (use a tuple schema)' }] }));
    t.actor.tell(call);
  };
  const outcome = runSchema(schema, input);
  if (!isPending(outcome)) {
    accept(outcome);
    return;
  }
  const ms = o.validateTimeoutMs ?? t.actor.options.mailbox?.deadlineMs ?? DEFAULT_TIMEOUT_MS;
  waitBounded(call, outcome, ms, accept, (e) => (e.remoraCode === 'E_ABORTED' ? owner.replyFail(call, e) : refuse(e)));
}

/** Wait for an async check, at most `ms` and no longer than the call lives. */
function waitBounded(call: Call, pending: Promise<CheckOutcome>, ms: number, done: (o: CheckOutcome) => void, fail: (e: RemoraError) => void): void {
  let settled = false;
  const signal = call.signal;
  const finish = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    return true;
  };
  const onAbort = (): void => {
    if (finish()) fail(errors.abandoned({ reason: (signal.reason as RemoraError | undefined)?.remoraCode ?? 'aborted' }));
  };
  const timer = setTimeout(() => {
    if (finish()) fail(errors.of('E_TIMEOUT', `The async schema of this call did not settle within ${ms} ms; the call never ran. Make the schema faster or raise validateTimeoutMs.`));
  }, ms);
  if (signal.aborted) return onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  pending.then((o) => {
    if (finish()) done(o);
  });
}

/**
 * Give `result` (what the operation of `call` returned, maybe a promise) to its method's output
 * schema, when it has one: the schema's output is what main sends back. Runs inside the actor.
 * @throws RemoraError `E_BAD_RESULT` when the result fails the schema.
 */
export function shapeResult(call: Call, result: unknown): unknown {
  const t = call.target!;
  const schema = methodFor(call, t)?.output;
  if (schema === undefined) return result;
  const check = (value: unknown): unknown => {
    const outcome = runSchema(schema, value);
    const settle = (o: CheckOutcome): unknown => {
      if (o.ok) return o.value;
      throw errors.schemaFailed({ where: describe(call, t), issues: o.issues, result: true });
    };
    return isPending(outcome) ? outcome.then(settle) : settle(outcome);
  };
  return result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function'
    ? Promise.resolve(result).then(check)
    : check(result);
}
