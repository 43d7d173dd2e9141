/**
 * Bundle the TypeScript renderer workers (`bench/workers/*.ts`) into plain ESM in
 * `bench/.tmp/` with esbuild, so worker threads start fast and run what a real renderer
 * bundle would. Packages stay external (resolved from node_modules at run time).
 */
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundles go (gitignored). */
export const workersDir = join(benchDir, '.tmp');

/** Bundle every worker; returns the output directory. */
export async function buildWorkers(): Promise<string> {
  const dir = join(benchDir, 'workers');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
  await build({
    entryPoints: entries,
    outdir: workersDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return workersDir;
}

/** Bundle the suite (main side, with remora's sources) into `bench/.tmp/suite.mjs`; returns its path. */
export async function buildSuite(): Promise<string> {
  const out = join(workersDir, 'suite.mjs');
  await build({
    entryPoints: [join(benchDir, 'suite.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return out;
}
