/**
 * Reading a thrown (or rejected, or errored) value without trusting it. Anything can be
 * thrown: an Error whose `message` getter throws, a revoked Proxy, a null-prototype object,
 * `{ toString: 0 }`. Every function here is total: it returns, whatever it is given, and never
 * runs the value's code twice or lets an exception out. The encoder, the actor system's
 * failure descriptions and inspection details all read thrown values through this file.
 * @packageDocumentation
 */

/** What {@link readThrown} could read of a thrown value. */
export interface ThrownFields {
  /** True when the value is an Error (`instanceof Error` answered true without throwing). */
  readonly isError: boolean;
  /** Its `name` as text (`Error` when unreadable). */
  readonly name: string;
  /** Its `message` as text (a placeholder when unreadable); for non-errors, the value as text. */
  readonly message: string;
  /** Its `stack` when that is a string, else `''`. */
  readonly stack: string;
  /** Its `code` when that is a string or a number (as text), else `null`. */
  readonly code: string | null;
}

/** Text for a value that could not become text. */
function opaque(v: unknown): string {
  const t = typeof v;
  if (t === 'function') return '[function]';
  if (v === null) return 'null';
  return t === 'object' ? '[object]' : `[${t}]`;
}

/**
 * `String(v)`, total: a value whose conversion throws (no `toString`, a throwing
 * `Symbol.toPrimitive`, a revoked Proxy) reads as `[object]` (or `[function]`, ...).
 * `max` cuts long text (with a note of how much was cut).
 */
export function safeString(v: unknown, max = Infinity): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else {
    try {
      s = String(v);
    } catch {
      s = opaque(v);
    }
  }
  return s.length > max ? `${s.slice(0, max)}... (${s.length - max} more characters)` : s;
}

/** `obj[key]`, total: undefined when reading throws. Runs a getter at most once. */
export function safeGet(obj: unknown, key: PropertyKey): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `v instanceof Error`, total (a Proxy's `getPrototypeOf` trap may throw: then false). */
export function isErrorValue(v: unknown): v is Error {
  try {
    return v instanceof Error;
  } catch {
    return false;
  }
}

/** Read the fields of a thrown value; total. Non-errors give their text as the message. */
export function readThrown(thrown: unknown): ThrownFields {
  if (!isErrorValue(thrown)) {
    return { isError: false, name: 'Error', message: safeString(thrown), stack: '', code: null };
  }
  const name = safeGet(thrown, 'name');
  const message = readMessage(thrown);
  const stack = safeGet(thrown, 'stack');
  const code = safeGet(thrown, 'code');
  return {
    isError: true,
    name: typeof name === 'string' ? name : name === undefined ? 'Error' : safeString(name),
    message,
    stack: typeof stack === 'string' ? stack : '',
    code: typeof code === 'string' ? code : typeof code === 'number' ? String(code) : null,
  };
}

function readMessage(e: Error): string {
  let m: unknown;
  try {
    m = e.message;
  } catch {
    return '(the error\'s message could not be read)';
  }
  return typeof m === 'string' ? m : safeString(m);
}

/**
 * A one-line description of a failure, total: `CODE: message` for an error (its name when it
 * has no code), else the value as text; cut to `max` characters (default 1000).
 */
export function describeThrown(e: unknown, max = 1000): string {
  const f = readThrown(e);
  return safeString(f.isError ? `${f.code ?? f.name}: ${f.message}` : f.message, max);
}

/** How an encoded error's stack travels: `full` as it is, `strip` without main's frames and paths. */
export type ErrorStacks = 'full' | 'strip';

/**
 * The stack an encoded error carries: as it is under `full` (the default), else just its
 * first line and a note, so a page never learns main's file paths.
 */
export function stackToSend(f: ThrownFields, mode: ErrorStacks | undefined): string {
  if (mode !== 'strip') return f.stack;
  return `${f.name}: ${f.message}\n    (stack not sent: the broker's errorStacks option is 'strip')`;
}

/** The default of the broker's `errorStacks` option: `strip` when NODE_ENV is `production`, else `full`. */
export function defaultErrorStacks(): ErrorStacks {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === 'production' ? 'strip' : 'full';
}
