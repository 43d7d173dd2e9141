/**
 * The member a request names, for inspection: `add` for `api.add(1, 2)`, `a.b.c` for a
 * nested path, the module or global name for `require`/`global`, the event for an emitter
 * subscription. Computed only when an inspection event is being built (someone observes
 * `inspect$`), so calls pay nothing for it otherwise.
 * @packageDocumentation
 */
import type { RendererFrame } from '../protocol/frames.js';

/** Longest member label kept; a longer one is cut (a renderer chooses these strings). */
const MAX_MEMBER = 120;

/** The member frame `f` names, or undefined when it names none (a call on a ref itself, a release, ...). */
export function memberOf(f: RendererFrame): string | undefined {
  let m: string | undefined;
  if ('path' in f) {
    m = f.path.length ? f.path.join('.') : undefined;
    if (f.t === 'sub' && f.event !== undefined) m = m === undefined ? `on ${f.event}` : `${m} on ${f.event}`;
  } else if (f.t === 'require' || f.t === 'global') m = f.name;
  else if (f.t === 'current') m = f.what;
  return m !== undefined && m.length > MAX_MEMBER ? `${m.slice(0, MAX_MEMBER - 1)}…` : m;
}
