/**
 * Hostile values a buggy (or malicious) main-side handler can return, throw or reject with:
 * each one breaks a naive conversion to text or to a wire error (String(e), `${e.message}`,
 * instanceof, property reads). Shared by the example specs and the property-based fuzz.
 */

const throwing = (what: string) => () => {
  throw new TypeError(`hostile getter ${what}`);
};

function errorWithGetter(key: string, thrown: () => unknown = throwing(key)): Error {
  const e = new Error('base');
  Object.defineProperty(e, key, { get: () => { throw thrown(); }, enumerable: key !== 'message' && key !== 'stack' });
  return e;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable(new Error('revoked'), {});
  revoke();
  return proxy;
}

/** A Proxy over an Error whose every trap throws. */
function trapsThrow(): object {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy(new Error('proxied'), { get: boom, getPrototypeOf: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom });
}

/** Each maker builds a fresh hostile value (named for the reports). */
export const HOSTILE: ReadonlyArray<readonly [string, () => unknown]> = [
  ['message getter throws', () => errorWithGetter('message')],
  ['name getter throws', () => errorWithGetter('name')],
  ['stack getter throws', () => errorWithGetter('stack')],
  ['code getter throws', () => errorWithGetter('code')],
  ['cause getter throws a hostile value', () => errorWithGetter('cause', () => ({ toString: 0 }))],
  ['revoked Proxy', revoked],
  ['Proxy whose traps throw', trapsThrow],
  ['null prototype object', () => Object.create(null)],
  ['toString and valueOf not functions', () => ({ toString: 0, valueOf: 0 })],
  ['Symbol.toPrimitive throws', () => ({ [Symbol.toPrimitive]: throwing('toPrimitive') })],
  ['message is an object that cannot become text', () => Object.assign(new Error('x'), { message: Object.create(null) })],
  ['extra property getter throws', () => errorWithGetter('detail')],
  ['Error whose toString is not a function', () => Object.assign(new Error('y'), { toString: 0, name: { toString: 0 } })],
  ['cyclic extras', () => { const e = new Error('cycle') as Error & { self?: unknown; list?: unknown[] }; e.self = e; e.list = [e]; return e; }],
  ['huge message', () => new Error('x'.repeat(1 << 20))],
];
