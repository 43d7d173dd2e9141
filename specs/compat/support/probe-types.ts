/**
 * The messages between a compat spec and its probe renderer (specs/fixtures/compat-probe.renderer.ts),
 * and the context a probe function receives. Shared by both sides; types only.
 */
import type { CompatRemote, RemoraClient } from 'remora/renderer';

/** What a thrown value looked like, as the renderer saw it. */
export interface Caught {
  threw: boolean;
  value?: unknown;
  isError?: boolean;
  name?: string;
  message?: string;
  code?: string;
  remoraCode?: string;
  stack?: string;
}

/** What a probe function receives in the renderer. */
export interface ProbeContext {
  /** The compatibility flavour, as ported `remote` code uses it. */
  readonly remote: CompatRemote;
  /** The async flavour. */
  readonly client: RemoraClient;
  readonly toAsync: (h: unknown) => unknown;
  readonly toSync: (h: unknown) => unknown;
  readonly release: (h: unknown) => void;
  /** The async flavour's property write (`setRemote`). */
  readonly setRemote: (h: unknown, key: string, value: unknown) => Promise<void>;
  /** `util.inspect` (what `console.log` prints in Node). */
  readonly inspect: (v: unknown) => string;
  /** A full garbage collection in the renderer (workers inherit --expose-gc). */
  readonly gc: () => void;
  /** Run `fn`; report its value or how it threw. */
  readonly caught: (fn: () => unknown) => Caught;
  readonly caughtAsync: (fn: () => unknown) => Promise<Caught>;
  /** Post an event to the spec (seen with `nextEvent`). */
  readonly post: (m: unknown) => void;
}

/** Spec to renderer: run this function source with these arguments. */
export interface ProbeRequest {
  readonly __probe: number;
  readonly source: string;
  readonly args: unknown[];
}

/** Renderer to spec: the probe's result (structured-cloned) or its error. */
export type ProbeReply = { __probe: number; ok: true; result: unknown } | { __probe: number; ok: false; error: Caught };
