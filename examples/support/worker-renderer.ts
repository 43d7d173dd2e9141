/**
 * Start a TypeScript renderer in a worker thread, as the examples do: the renderer entry is
 * bundled with esbuild (as a real app bundles its renderer) and run in a `Worker`.
 *
 * @example
 * ```ts
 * const worker = await startWorkerRenderer(new URL('./renderer.ts', import.meta.url));
 * broker.connect(workerTransport(worker));
 * ```
 */
import { build } from 'esbuild';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = fileURLToPath(new URL('../../node_modules/.remora-examples', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
const built = new Map<string, Promise<string>>();

/** Bundle `entry` (once per process) and return the bundle's path. */
export function bundleRenderer(entry: URL): Promise<string> {
  const src = fileURLToPath(entry);
  let p = built.get(src);
  if (!p) {
    const out = join(outDir, `${basename(join(src, '..'))}-${basename(src, '.ts')}.mjs`);
    p = build({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', tsconfig, logLevel: 'warning' }).then(() => out);
    built.set(src, p);
  }
  return p;
}

/** Bundle `entry` and start it in a new worker thread. */
export async function startWorkerRenderer(entry: URL, options: WorkerOptions = {}): Promise<Worker> {
  return new Worker(await bundleRenderer(entry), options);
}
