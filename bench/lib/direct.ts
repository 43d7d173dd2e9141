/**
 * A minimal hand-written main-side dispatcher speaking remora's frames and codec, with no
 * broker, session, ref table or actor: the baseline of the "actor layer overhead" case.
 * It validates frames exactly like a session (`unbatch` + `parseRendererFrame`), decodes the
 * arguments, calls the function directly and batches its replies per tick like a session.
 * It understands only what the case needs: `hello`, `require` of one module and `apply` on it.
 */
import {
  decodeArgs, encode, encodeThrown, parseRendererFrame, PROTOCOL_VERSION, unbatch,
  type DecodeHost, type EncodeHost, type Wire,
} from '../../src/protocol/index.js';
import { defaultLimits } from '../../src/main/limits.js';
import { methodsOf } from '../../src/main/access.js';
import type { Transport } from '../../src/transport.js';

const encodeHost: EncodeHost = {
  plainWithFunctions: 'ref',
  binary: 'clone',
  byReference: () => {
    throw new Error('the direct dispatcher sends data only');
  },
};
const decodeHost: DecodeHost = {
  reference: () => {
    throw new Error('the direct dispatcher accepts data only');
  },
};
const limits = { maxDepth: defaultLimits.maxDepth, maxBytes: defaultLimits.maxFrameBytes };

/** Serve `module` (as ref 1) to the renderer on `transport`. */
export function directDispatch(transport: Transport, module: Record<string, unknown>): void {
  let out: unknown[] = [];
  let queued = false;
  const flush = (): void => {
    queued = false;
    const o = out;
    out = [];
    if (o.length) transport.send(o.length === 1 ? o[0] : { t: 'batch', f: o });
  };
  const send = (f: unknown): void => {
    out.push(f);
    if (!queued) {
      queued = true;
      queueMicrotask(flush);
    }
  };
  const methods = methodsOf(module);
  transport.messages$.subscribe((m) => {
    for (const raw of unbatch(m, defaultLimits)) {
      const f = parseRendererFrame(raw, defaultLimits);
      switch (f.t) {
        case 'hello':
          send({ t: 'welcome', v: PROTOCOL_VERSION, session: 'direct', gen: f.gen });
          break;
        case 'require':
          send({ t: 'ok', id: f.id, v: ['r', 1, 'o', methods] });
          break;
        case 'apply': {
          try {
            const fn = module[f.path[0]!] as (...a: unknown[]) => unknown;
            const v: Wire = encode(fn.apply(module, decodeArgs(f.args, decodeHost, limits)), encodeHost);
            send({ t: 'ok', id: f.id, v });
          } catch (e) {
            send({ t: 'fail', id: f.id, e: encodeThrown(e, encodeHost) });
          }
          break;
        }
        default:
          break; // releases and the rest: nothing to do here
      }
    }
  });
}
