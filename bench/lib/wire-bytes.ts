/**
 * A main-side transport wrapper that counts the bytes of what crosses it, only while switched
 * on (the counting itself costs a JSON.stringify per message, so timed runs keep it off). Bytes
 * are the JSON size of each message (UTF-8), remora's own measure of a frame (see
 * `wireBytes` in actors/state-actor.ts); worker_threads structured-clone the same value.
 */
import { tap } from 'rxjs';
import type { Transport } from '../../src/index.js';

/** A counting wrapper and its controls. */
export interface CountingTransport {
  readonly transport: Transport;
  /** Start counting from zero. */
  begin(): void;
  /** Stop counting; bytes and messages each way since {@link begin}. */
  end(): { toRenderer: number; toMain: number; messages: number };
}

const size = (m: unknown): number => Buffer.byteLength(JSON.stringify(m) ?? '');

/** Wrap `t` so that bytes each way can be counted on demand. */
export function countingTransport(t: Transport): CountingTransport {
  let on = false;
  let out = 0;
  let inb = 0;
  let msgs = 0;
  const count = (dir: 'out' | 'in', m: unknown): void => {
    if (!on) return;
    msgs++;
    if (dir === 'out') out += size(m);
    else inb += size(m);
  };
  const transport: Transport = {
    send: (m) => {
      count('out', m);
      t.send(m);
    },
    messages$: t.messages$.pipe(tap((m) => count('in', m))),
    closed$: t.closed$,
    close: (r) => t.close(r),
    ...(t.replySync ? { replySync: (m: unknown) => { count('out', m); t.replySync!(m); } } : {}),
    ...(t.binary ? { binary: t.binary } : {}),
  };
  return {
    transport,
    begin() {
      on = true;
      out = 0;
      inb = 0;
      msgs = 0;
    },
    end() {
      on = false;
      return { toRenderer: out, toMain: inb, messages: msgs };
    },
  };
}
