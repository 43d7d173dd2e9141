/**
 * fast-check arbitraries of renderer → main frames: well-formed frames aimed at the
 * playground, and mutations of them (fields dropped or flipped to wrong types, huge numbers,
 * deep nesting, long strings, foreign ids, `__proto__`/`constructor` keys, nested batches).
 *
 * Request ids are generated as the placeholder {@link FRESH} and numbered at injection time
 * by {@link numberFrames}, so well-formed requests carry unique ids; mutations may replace an
 * id with anything. `on: PREV` points a pipelined frame at the frame before it, `on: SELF` at
 * itself (which main must refuse, not wait on).
 */
import fc from 'fast-check';
import { defaultFrameLimits, FrameError, type FrameLimits, isRequest, parseRendererFrame, unbatch, PROTOCOL_VERSION } from '../../src/protocol/frames.js';

/** Placeholder for "a fresh unique id", replaced by {@link numberFrames}. */
export const FRESH = -424242;
/** Placeholder for "the id of the previous frame" in `on`. */
export const PREV = -434343;
/** Placeholder for "this frame's own id" in `on`. */
export const SELF = -444444;

const NAMES = ['api', 'calc', 'config', 'nope', '__proto__', 'constructor', 'process', 'require', 'toString'];
const KEYS = [
  'state', 'list', 'add', 'echo', 'asyncEcho', 'concat', 'makeCounter', 'Counter', 'emitter', 'emit', 'ticks',
  'boom', 'rejects', 'callMeBack', 'n', 'label', 'nested', 'deep', 'value', 'inc', 'on', 'once', 'removeListener',
  'off', 'length', '0', 'mul', 'range', '_events', 'listenerCount',
];
const EVIL_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'call', 'apply', 'bind',
  'caller', 'arguments', '__defineGetter__', '__lookupSetter__', 'then',
];

/** Numbers that break naive validation. */
export const nastyNumber: fc.Arbitrary<number> = fc.constantFrom(
  0, -1, -0, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e308, Number.MAX_VALUE, Number.MIN_VALUE, 4294967296, 2 ** 31,
);

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...EVIL_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const path = fc.array(key, { maxLength: 4 });
const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
/** Ref ids: mostly ones the fuzzing session may hold, sometimes foreign or absurd. */
const refId = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 13, max: 1_000_000_000 }) },
  { weight: 1, arbitrary: nastyNumber },
);

const primitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 16 }), nastyNumber,
);

/** Wire values a renderer might send, valid and not. */
export const wire: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 6, arbitrary: primitive },
    fc.constant(['u']),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', 'nope').map((s) => ['n', s]),
    fc.oneof(fc.bigInt().map((b) => b.toString()), fc.constantFrom('12x', '', '-', '1e5')).map((s) => ['b', s]),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => ['a', ...a]),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }).map((e) => ['o', ...e.flat()]),
    fc.array(tie('value'), { maxLength: 3 }).map((a) => ['o', ...a]),
    fc.integer({ min: -1, max: 5 }).map((i) => ['#', i]),
    fc.oneof(fc.double(), fc.constant('NaN'), fc.string({ maxLength: 4 })).map((t) => ['d', t]),
    fc.array(tie('value'), { maxLength: 4 }).map((a) => ['m', ...a]),
    fc.array(tie('value'), { maxLength: 3 }).map((a) => ['s', ...a]),
    fc.tuple(
      fc.constantFrom('Uint8Array', 'Float64Array', 'Int32Array', 'ArrayBuffer', 'Buffer', 'DataView', 'Nope', '__proto__'),
      fc.oneof(fc.uint8Array({ maxLength: 17 }), fc.constantFrom('AAEC', 'AAECAw==', '!!', 'abc'), fc.integer()),
    ).map(([n, d]) => ['t', n, d]),
    fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer()), tie('value'))
      .map(([n, m, s, c, p]) => ['e', n, m, s, c, p]),
    refId.map((id) => ['h', id]),
    fc.integer({ min: 1, max: 40 }).map((id) => ['c', id]),
    fc.tuple(fc.constantFrom('r', 'p', 'zz', '', 'h', 'c'), fc.oneof(refId, fc.string({ maxLength: 3 }))).map(([t, id]) => [t, id]),
    fc.constant([]),
    fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  ),
})).value;

const args = fc.array(wire, { maxLength: 4 });
const target = fc.oneof(
  { weight: 10, arbitrary: fc.record({ ref: refId, path }) },
  { weight: 2, arbitrary: fc.record({ on: fc.constant(PREV), path }) },
  // A frame pipelined on itself once waited for its own result and was never answered.
  { weight: 1, arbitrary: fc.record({ on: fc.constant(SELF), path }) },
);
const reqBase = { id: fc.constant(FRESH) };
const maybeK = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 5 });

const requestish: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ ...reqBase, t: fc.constant('require'), name }),
  fc.record({ ...reqBase, t: fc.constant('global'), name }),
  fc.record({ ...reqBase, t: fc.constant('current'), what: fc.constantFrom('window', 'webContents', 'x') }),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('get'), k: maybeK }), target).map(([a, b]) => ({ ...a, ...b })),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('set'), value: wire }), target).map(([a, b]) => ({ ...a, ...b })),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('apply'), args, k: maybeK }), target).map(([a, b]) => ({ ...a, ...b })),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('new'), args }), target).map(([a, b]) => ({ ...a, ...b })),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('sub'), event: fc.option(fc.constantFrom('tick', 'x', 'error'), { nil: undefined }) }), target)
    .map(([a, b]) => ({ ...a, ...b })),
  fc.tuple(fc.record({ ...reqBase, t: fc.constant('sub'), args }), target).map(([a, b]) => ({ ...a, ...b })),
  fc.record({ t: fc.constantFrom('unsub', 'cancel'), id: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ t: fc.constant('ack'), id: fc.integer({ min: 1, max: 200 }), n: fc.integer({ min: 1, max: 10_000 }) }),
  fc.array(fc.tuple(refId, fc.integer({ min: 1, max: 3 })), { maxLength: 3 }).map((p) => ({ t: 'release', refs: p.flat() })),
);

/** Well-formed frames of every kind (their targets and values may still be nonsense). */
export const validFrame: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 60, arbitrary: requestish },
  { weight: 1, arbitrary: fc.constant(null).map((): Record<string, unknown> => ({ t: 'hello', v: PROTOCOL_VERSION, gen: 0 })) },
).map((f) => {
  // fc.record with an optional k produces `k: undefined`; a real renderer omits it.
  const g: Record<string, unknown> = { ...f };
  for (const k of Object.keys(g)) if (g[k] === undefined) delete g[k];
  return g;
});

/** Deep nesting of a wire array, or of a plain array (untagged). */
function deep(depth: number, tagged: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = tagged ? ['a', v] : [v];
  return v;
}

function withOwnKey(k: string, v: unknown, base: Record<string, unknown> = {}): Record<string, unknown> {
  const o = { ...base };
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const LONG_KEY = 'k'.repeat(1025);
const LONG_TEXT = 'x'.repeat(70_000);

/**
 * Nasty values a mutation drops into a field: wrong types, huge numbers, long strings,
 * deep nesting, long arrays, `__proto__`/`constructor` payloads. Built once (mutating with
 * them costs nothing), never modified by main.
 */
export const NASTY: readonly unknown[] = [
  undefined, null, true, false, 0, -1, -0, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e308, 2 ** 31, 4294967296,
  '', 'x', '1', 'get', '__proto__', 'constructor', LONG_KEY, LONG_TEXT,
  [], [1], ['x'], [null], [LONG_KEY], [LONG_TEXT], new Array(40).fill('a'), new Array(1100).fill(1), new Array(1100).fill(['u']),
  {}, { t: 'get' }, Object.create(null) as unknown, new Map([[1, 2]]), new Set([1]), new Uint8Array(3), new Date(NaN), 10n,
  deep(65, true), deep(200, true), deep(1500, true), deep(65, false), deep(1500, false),
  [deep(65, true)], [deep(1500, true)], [deep(1500, false)],
  withOwnKey('__proto__', { polluted: true }), withOwnKey('constructor', { prototype: { polluted: true } }),
  ['o', '__proto__', ['o', 'polluted', true]], ['o', 'constructor', ['o', 'prototype', ['o', 'polluted', true]]],
  [['o', '__proto__', ['o', 'polluted', true]]], ['__proto__'], ['constructor', 'prototype'], ['a', ['#', 0], ['#', 99]],
  { t: 'batch', f: [{ t: 'get', id: 1, ref: 1, path: [] }] },
];

const FIELDS = ['t', 'id', 'ref', 'on', 'path', 'args', 'value', 'name', 'what', 'event', 'k', 's', 'n', 'refs', 'v', 'gen', 'f'];
const KINDS = ['ok', 'fail', 'welcome', 'batch', 'cb', 'next', 'GET', '', 'hello', 'toString', '__proto__', 'get', 'apply', 'sub'];

/**
 * Apply mutation `kind` (chosen by `a`, with `b` and `c` picking fields and values) to a
 * copy of frame `f`. Cheap and deterministic, so the fuzzer can derive many mutants from
 * each generated frame.
 */
export function mutate(f: unknown, a: number, b: number, c: number): unknown {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return NASTY[c % NASTY.length];
  const g = { ...(f as Record<string, unknown>) };
  const own = Object.keys(g);
  const field = own.length && b % 3 !== 0 ? own[b % own.length]! : FIELDS[b % FIELDS.length]!;
  switch (a % 8) {
    case 0: // drop a field
      delete g[field];
      return g;
    case 1: // a wrong type, huge number, long string or deep value in a field
    case 2:
      return withOwnKey(field, NASTY[c % NASTY.length], g);
    case 3: // a wrong or foreign kind
      g.t = KINDS[c % KINDS.length];
      return g;
    case 4: // foreign ids: refs and ids the session was never given
      g[['ref', 'id', 'on'][b % 3]!] = [1000 + (c % 100_000), 2 ** 31 + c, 7 + (c % 5)][c % 3];
      return g;
    case 5: // __proto__ / constructor as own keys of the frame (as JSON.parse would produce them)
      return withOwnKey(['__proto__', 'constructor', 'prototype'][b % 3]!, NASTY[c % NASTY.length], g);
    case 6: // a blocked key somewhere in the path
      g.path = [...(Array.isArray(g.path) ? (g.path as unknown[]) : []), ['__proto__', 'constructor', 'prototype', 'caller', 'call', 'toString'][c % 6]];
      return g;
    default: // not a frame at all
      return NASTY[c % NASTY.length];
  }
}

/** Mutation choices: one or two `[kind, field, value]` triples. */
export const mutationChoice: fc.Arbitrary<[number, number, number][]> = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 2 });

/** A frame: well-formed, or well-formed then mutated once or twice. */
export const anyFrame: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: validFrame },
  { weight: 3, arbitrary: fc.tuple(validFrame, mutationChoice).map(([f, ms]) => ms.reduce<unknown>((g, [a, b, c]) => mutate(g, a, b, c), f)) },
);

/** A batch of 5 to 40 frames, and a seed the fuzzer derives extra mutants from. */
export const generatedBatch: fc.Arbitrary<{ frames: unknown[]; seed: number }> = fc.record({
  frames: fc.array(anyFrame, { minLength: 5, maxLength: 40, size: 'max' }),
  seed: fc.integer(),
});

/** A small deterministic PRNG (xorshift32) for deriving mutants from a generated seed. */
export function prng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * Copies of `frames` with the {@link FRESH}, {@link PREV} and {@link SELF} placeholders
 * replaced by real ids (fresh ids from `next`).
 */
export function numberFrames(frames: readonly unknown[], next: () => number): unknown[] {
  let prev = 1;
  return frames.map((f) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f)) return f;
    const r = { ...(f as Record<string, unknown>) };
    if (r.on === PREV) r.on = prev;
    if (r.id === FRESH) r.id = next();
    if (r.on === SELF) r.on = r.id;
    if (typeof r.id === 'number' && r.id > 0) prev = r.id;
    return r;
  });
}

/** Mutants derived from each generated frame. */
export const MUTANTS = 5;

/**
 * The messages of one run: the generated frames and their mutants, numbered, as one batch,
 * as single frames, or (rarely) as a malformed top-level message.
 */
export function messagesOf(frames: unknown[], seed: number, next: () => number): unknown[] {
  const rnd = prng(seed);
  const base = numberFrames(frames, next);
  const all: unknown[] = [];
  for (const f of base) {
    all.push(f);
    for (let m = 0; m < MUTANTS; m++) {
      let g = mutate(f, rnd(), rnd(), rnd());
      if (rnd() % 3 === 0) g = mutate(g, rnd(), rnd(), rnd());
      all.push(g);
    }
  }
  switch (rnd() % 8) {
    case 0:
      return all;
    case 1:
      return [NASTY[rnd() % NASTY.length], { t: 'batch', f: 'x' }, { t: 'batch', f: all }];
    default:
      return [{ t: 'batch', f: all }];
  }
}

/** Ids main must answer with `ok`/`fail`: requests, and refused frames that carried a valid id. */
export function answerable(msg: unknown, limits: FrameLimits = defaultFrameLimits): number[] {
  let frames: unknown[];
  try {
    frames = unbatch(msg, limits);
  } catch {
    return [];
  }
  const ids: number[] = [];
  for (const raw of frames) {
    try {
      const f = parseRendererFrame(raw, limits);
      if (isRequest(f)) ids.push(f.id);
    } catch (e) {
      if (e instanceof FrameError && e.id !== undefined) ids.push(e.id);
    }
  }
  return ids;
}

/** Frames in a message (a batch counts its frames). */
export function frameCount(msg: unknown): number {
  const f = (msg as { t?: unknown; f?: unknown } | null)?.t === 'batch' ? (msg as { f: unknown }).f : undefined;
  return Array.isArray(f) ? f.length : 1;
}

