/**
 * Copying an error's extra own properties (`path`, `errno`, ...) from one object to another:
 * the encoder gathers them to send, the decoder puts them back on the rebuilt error, and the
 * caller-facing error takes them over. One function, so the three agree on what "extra" means.
 * @packageDocumentation
 */

/** The keys every error carries itself; they are never copied as extras. */
export const ERROR_OWN_KEYS: readonly string[] = ['code', 'name', 'message', 'stack'];

/** Keys {@link copyErrorExtras} skips by default: the own keys and remora's `remoraCode`. */
export const ERROR_EXTRA_SKIP: readonly string[] = [...ERROR_OWN_KEYS, 'remoraCode'];

/** How {@link copyErrorExtras} chooses what to copy. */
export interface CopyExtrasOptions {
  /** Keys never copied. Default {@link ERROR_EXTRA_SKIP}. */
  skip?: readonly string[];
  /** Copy only keys the target does not have yet (`k in to` is false). Default false. */
  onlyAbsent?: boolean;
  /** `data` leaves out functions and symbols (what can travel); `all` copies every value. Default `all`. */
  values?: 'all' | 'data';
}

/**
 * Copy the own enumerable properties of `from` onto `to`, except the skipped keys.
 * @returns how many properties were copied.
 */
export function copyErrorExtras(from: object, to: object, options: CopyExtrasOptions = {}): number {
  const skip = options.skip ?? ERROR_EXTRA_SKIP;
  const src = from as Record<string, unknown>;
  const dst = to as Record<string, unknown>;
  let copied = 0;
  for (const k of Object.keys(from)) {
    if (skip.includes(k)) continue;
    if (options.onlyAbsent && k in to) continue;
    const v = src[k];
    if (options.values === 'data' && (typeof v === 'function' || typeof v === 'symbol')) continue;
    dst[k] = v;
    copied++;
  }
  return copied;
}
