/**
 * A scripted main side for renderer unit specs: a real {@link Connection} over the in-memory
 * transport, with main played by the spec (it reads the frames the renderer sent and answers
 * with frames it writes by hand). No broker: each spec says exactly what main does.
 */
import type { ConnectOptions } from '../../src/renderer/connect-options.js';
import { Connection } from '../../src/renderer/connection.js';
import { HANDLE_KINDS } from '../../src/renderer/client.js';
import { createMemoryPair } from '../../src/transports/memory.js';

/** A frame as main sees it. */
export type Frame = Record<string, unknown>;

/** Let queued microtasks and the memory transport's deliveries run. */
export const turn = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A connection whose main side the spec plays. */
export function scriptedMain(options: ConnectOptions = {}) {
  const pair = createMemoryPair();
  /** Every frame the renderer sent, un-batched, in order. */
  const frames: Frame[] = [];
  /** Every message (a frame or a batch) the renderer sent. */
  const messages: unknown[] = [];
  pair.main.messages$.subscribe((m) => {
    messages.push(m);
    const b = m as { t?: unknown; f?: Frame[] };
    if (b.t === 'batch' && Array.isArray(b.f)) frames.push(...b.f);
    else frames.push(m as Frame);
  });
  const conn = new Connection(pair.renderer, HANDLE_KINDS, options);
  return {
    conn,
    frames,
    messages,
    /** Main sends `frame` to the renderer. */
    send: (frame: object): void => pair.main.send(frame),
    /** Main closes its end. */
    close: (): void => pair.main.close({ kind: 'closed', detail: 'main went away' }),
    /** The frames of kind `t` the renderer sent so far. */
    sent: (t: string): Frame[] => frames.filter((f) => f.t === t),
    /** The `[id, count]` pairs of every `release` frame so far, flattened. */
    released: (): number[] => frames.filter((f) => f.t === 'release').flatMap((f) => f.refs as number[]),
  };
}
