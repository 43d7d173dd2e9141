#!/usr/bin/env node
/**
 * The size budget: how many gzipped bytes remora costs a browser page.
 *
 * Why: a page ships what it imports, and remora's renderer side (with rxjs) is the part of it
 * every page pays for. This bundles what a page app imports (`connect` with its handles,
 * `fromRemoteEvent`, and the WebSocket page transport's `connectToMain`) the way an app's
 * bundler would (esbuild, ESM, browser platform, minified, tree-shaken, rxjs included), gzips
 * the result (zlib level 9), prints the size and the modules that contribute most, and exits 1
 * when the gzipped size is over the budget in scripts/size-budget.json, or when the bundle holds
 * a module a page must never carry (main-side code, actors, electron, the error code table).
 *
 * Usage: `npm run size` (add `-- --json` for a machine-readable breakdown, `-- --top N` for a
 * longer list).
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const budget = JSON.parse(readFileSync(join(root, 'scripts/size-budget.json'), 'utf8'));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 15;

// What a page imports. Exported, so the bundler keeps exactly these and what they reach.
const entry = `
export { connect, fromRemoteEvent } from 'remora/renderer';
export { connectToMain } from 'remora/transports/websocket-page';
`;

const bundle = (conditions) => build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'page-entry.ts', loader: 'ts' },
  tsconfig: join(root, 'tsconfig.json'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  treeShaking: true,
  metafile: true,
  write: false,
  logLevel: 'error',
  conditions,
});
// esbuild's and Vite's default conditions pick rxjs's ES5 build (with tslib); the budget
// gates on that. The `es2015` condition (rxjs's ES2015 build) is printed for comparison.
const result = await bundle([]);
const es2015 = gzipSync((await bundle(['es2015'])).outputFiles[0].contents, { level: 9 }).byteLength;

const code = result.outputFiles[0].contents;
const minified = code.byteLength;
const gzipped = gzipSync(code, { level: 9 }).byteLength;
const output = Object.values(result.metafile.outputs)[0];

/** A module's group: rxjs, remora's folder (src/renderer, src/protocol, ...), or the package. */
function groupOf(path) {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const parts = path.split('/');
  return parts.length > 2 ? `remora ${parts.slice(0, -1).join('/')}` : `remora ${path}`;
}

const modules = Object.entries(output.inputs)
  .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
  .filter((m) => m.bytes > 0)
  .sort((a, b) => b.bytes - a.bytes);
const groups = new Map();
for (const m of modules) groups.set(groupOf(m.path), (groups.get(groupOf(m.path)) ?? 0) + m.bytes);
const sortedGroups = [...groups].sort((a, b) => b[1] - a[1]);
// Gzip does not split by module; a module's share of the gzipped size is estimated in
// proportion to its minified bytes.
const share = (bytes) => Math.round((bytes / minified) * gzipped);
const over = gzipped > budget.page.gzipBytes;
// What a page must never carry: main's side, the actor system and kinds, electron, and the error
// code table (main-side documentation; a page needs only src/errors/codes.ts).
const NEVER_ON_A_PAGE = /^(src\/(main|actor|electron)\/|actors\/|src\/errors\/code-table\.ts$)/;
const forbidden = modules.filter((m) => NEVER_ON_A_PAGE.test(m.path)).map((m) => m.path);

if (asJson) {
  console.log(JSON.stringify({ minified, gzipped, es2015Gzipped: es2015, budget: budget.page.gzipBytes, target: budget.page.targetGzipBytes, groups: Object.fromEntries(sortedGroups), forbidden, modules }, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`page bundle (renderer connect + handles + fromRemoteEvent + websocket-page, rxjs tree-shaken):`);
  console.log(`  ${kb(gzipped)} gzipped (${gzipped} B), ${kb(minified)} minified; budget ${kb(budget.page.gzipBytes)}, target ${kb(budget.page.targetGzipBytes)}`);
  console.log(`  with the es2015 export condition (rxjs's ES2015 build, no tslib): ${kb(es2015)} gzipped (${es2015} B)`);
  console.log(`\nby group (minified bytes, ~gzipped share):`);
  for (const [g, b] of sortedGroups) console.log(`  ${String(b).padStart(7)} B  ~${String(share(b)).padStart(6)} B gz  ${g}`);
  console.log(`\ntop ${top} modules:`);
  for (const m of modules.slice(0, top)) console.log(`  ${String(m.bytes).padStart(7)} B  ~${String(share(m.bytes)).padStart(6)} B gz  ${m.path}`);
  console.log(`\n${over ? 'OVER BUDGET' : 'within budget'}: ${gzipped} B gzipped, budget ${budget.page.gzipBytes} B`);
  if (forbidden.length) console.log(`NOT FOR A PAGE, but in its bundle: ${forbidden.join(', ')}`);
}
process.exit(over || forbidden.length ? 1 : 0);
