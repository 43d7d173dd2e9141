/**
 * Global setup: bundle every renderer fixture (`specs/fixtures/*.renderer.ts`) and example
 * renderer into plain ESM with esbuild, so worker threads start in milliseconds and run the
 * same kind of bundle a real renderer would.
 */
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixtureOut = join(root, 'node_modules/.remora-fixtures');

export default async function setup(): Promise<void> {
  const dir = join(root, 'specs/fixtures');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.renderer.ts')).map((f) => join(dir, f));
  await build({
    entryPoints: entries,
    outdir: fixtureOut,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}
