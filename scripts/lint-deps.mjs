#!/usr/bin/env node
/**
 * `npm run lint:deps`: remora's layering, checked with dependency-cruiser.
 *
 * Two checks on one cruise of src/ and actors/:
 * 1. every rule of `.dependency-cruiser.cjs` (layer direction, no file cycles, no runtime Node
 *    built-ins in neutral code), as dependency-cruiser reports them;
 * 2. an inline-type import of a Node built-in in neutral code (`import { type Server } from
 *    'node:http'`): dependency-cruiser calls it type-only, but with `verbatimModuleSyntax` it
 *    stays in the output as `import {} from 'node:http'`, a runtime import;
 * 3. no import cycle between rooms. A room is a folder of src (src/main, src/renderer, ...),
 *    a top-level file of src (src/errors.ts, src/transport.ts, ...), or actors/. This one is
 *    computed here from the cruise's module graph: dependency-cruiser's own folder scope counts
 *    the folder src as one more node holding all of its subfolders, which makes every room that
 *    imports src/errors.ts look cyclic.
 * A config may list baseline violations (`options.knownViolations`) while a change is under way:
 * they are left out of both and named here once they no longer occur. Today it lists none.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');
const known = config.options.knownViolations ?? [];
// The package exports only its API; its command line sits next to it (src/main/index.mjs -> bin/).
const bin = fileURLToPath(new URL('../../bin/dependency-cruise.mjs', import.meta.resolve('dependency-cruiser')));

const run = spawnSync(process.execPath, [bin, 'src', 'actors', '--config', '.dependency-cruiser.cjs', '--output-type', 'json', '--progress', 'none'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (!run.stdout) {
  process.stderr.write(run.stderr);
  process.exit(2);
}
const { modules, summary } = JSON.parse(run.stdout);

// 1. Rule violations (known ones come back with severity `ignore`).
const errors = summary.violations.filter((v) => v.rule.severity === 'error' || v.rule.severity === 'warn');
for (const v of errors) {
  const path = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)].join(' -> ') : `${v.from} -> ${v.to}`;
  console.log(`${v.rule.severity} ${v.rule.name}: ${path}`);
}

// 2. Inline-type imports of Node built-ins in neutral code (they survive compilation).
const NEUTRAL = /^src\/(protocol|actor|renderer|contracts)\//;
const builtins = new Set(builtinModules);
const inlineType = [];
for (const m of modules) {
  if (!NEUTRAL.test(m.source)) continue;
  const text = readFileSync(m.source, 'utf8');
  for (const [, what, spec] of text.matchAll(/^\s*import\s+(?!type\b)([^;]*?)\s+from\s*['"]([^'"]+)['"]/gm)) {
    if (spec.startsWith('node:') || builtins.has(spec)) inlineType.push(`${m.source} imports ${what} from ${spec}`);
  }
}
for (const v of inlineType) console.log(`error no-runtime-node-builtins-in-neutral-code (inline type import stays at run time): ${v}`);

// 3. Room cycles, over every remora-to-remora import (type-only ones included).
const room = (f) => {
  const parts = f.split('/');
  if (parts[0] === 'actors') return 'actors';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : f.replace(/\.ts$/, '');
};
const isKnownEdge = (from, to) => known.some((k) => k.type === 'dependency' && k.from === from && k.to === to);
const edges = new Set();
const graph = new Map();
const example = new Map();
for (const m of modules) {
  for (const d of m.dependencies) {
    if (!/^(src|actors)\//.test(d.resolved)) continue;
    edges.add(`${m.source} -> ${d.resolved}`);
    if (isKnownEdge(m.source, d.resolved)) continue;
    const a = room(m.source);
    const b = room(d.resolved);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a).add(b);
    if (!example.has(`${a} -> ${b}`)) example.set(`${a} -> ${b}`, `${m.source} imports ${d.resolved}`);
  }
}
const cycles = stronglyConnected(graph);
for (const c of cycles) {
  const why = [];
  for (const a of c) for (const b of graph.get(a) ?? []) if (c.includes(b)) why.push(example.get(`${a} -> ${b}`));
  console.log(`error no-room-cycle: ${c.join(' <-> ')} (${why.join('; ')})`);
}

// Known violations that no longer occur: the list should shrink with them.
for (const k of known) {
  if (!edges.has(`${k.from} -> ${k.to}`)) console.log(`note: known violation ${k.rule.name} ${k.from} -> ${k.to} no longer occurs; remove it from .dependency-cruiser.cjs`);
}

const failures = errors.length + inlineType.length + cycles.length;
console.log(
  failures
    ? `lint:deps: ${errors.length + inlineType.length} rule violations, ${cycles.length} room cycles`
    : `lint:deps: ok (${summary.totalCruised} modules, ${summary.totalDependenciesCruised} imports)`,
);
process.exit(failures ? 1 : 0);

/** Tarjan's strongly connected components of more than one node. */
function stronglyConnected(g) {
  let i = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  const visit = (v) => {
    index.set(v, i);
    low.set(v, i);
    i++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.reverse());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}
