/**
 * `npm run bench`: remora against the raw transport and its peers, every case side by side
 * with its baseline in the same run. Prints a table of medians and ratios with pass/fail
 * against the targets, and writes `bench/results.json`, `bench/RESULTS.md` (between its
 * generated markers) and `docs/img/bench.svg`.
 *
 * Both sides run esbuild bundles (`bench/.tmp/`), as a production build would: the suite
 * (main side) and the renderer workers.
 *
 * Options: `--repeat N` (whole-suite repeats, default 3; figures are medians over them with
 * their spread), `--smoke` (every case kind once, tiny, one repeat, writes nothing: the CI
 * check), `--only=a,b` (case ids: rpc, sync, pipeline, events, lifetime, state, state-growth,
 * scale, payload, websocket; writes nothing), `--rounds=N` (default 9), `--handles=N` (lifetime
 * case, default 1M), `--no-write`, `--render` (rewrite RESULTS.md and the chart from
 * `bench/results.json`, no measuring), `--profile=rtt,rtt-raw,rtt-birpc,pipeline,state` (profile instead
 * of measuring; bench/cases/profiles.ts). `BENCH_CPU_PROF=<dir>` also profiles the workers.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSuite, buildWorkers } from './lib/build.js';

const root = fileURLToPath(new URL('..', import.meta.url));

try {
  const workersDir = await buildWorkers();
  const suite = await buildSuite();
  const mod = (await import(pathToFileURL(suite).href)) as { runSuite(root: string, args: readonly string[], workersDir: string): Promise<void> };
  await mod.runSuite(root, process.argv.slice(2), workersDir);
  process.exit(0);
} catch (e) {
  console.error(e);
  process.exit(1);
}
