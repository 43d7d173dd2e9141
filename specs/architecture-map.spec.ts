/**
 * docs/architecture.md is the map a newcomer reads first: it must name only files that exist.
 * A path with a folder must exist as written; a bare file name must exist somewhere in the code.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

function names(dir: string, out = new Set<string>()): Set<string> {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) names(p, out);
    else out.add(n);
  }
  return out;
}

describe('docs/architecture.md', () => {
  const mentioned = [...doc.matchAll(/`([^`\s<>*]+\.(?:ts|md|cjs|mjs))`/g)].map((m) => m[1]!);

  it('names only files that exist in the repository', () => {
    const known = new Set([...names(join(root, 'src')), ...names(join(root, 'actors')), ...names(join(root, 'specs')), ...names(join(root, 'scripts'))]);
    const missing = mentioned.filter((p) => (p.includes('/') || existsSync(join(root, p)) ? !existsSync(join(root, p)) : !known.has(basename(p))));
    expect(missing).toEqual([]);
  });

  it('gives every folder of src/ a place on the map', () => {
    const rooms = readdirSync(join(root, 'src')).filter((n) => statSync(join(root, 'src', n)).isDirectory());
    expect(rooms.filter((r) => !doc.includes(`src/${r}`))).toEqual([]);
  });
});
