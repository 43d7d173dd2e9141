/**
 * One module owns errors (issue 15): every RemoraError is made by a factory of
 * src/errors/factories.ts (one per code, with structured details), never inline elsewhere.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') || p.endsWith('.tsx')) out.push(relative(root, p).split('\\').join('/'));
  }
  return out;
}

const files = [...sources(join(root, 'src')), ...sources(join(root, 'actors'))];
const constructs = (file: string): boolean => /new RemoraError\(/.test(readFileSync(join(root, file), 'utf8'));

describe('where errors are made', () => {
  it('constructs RemoraError only inside the errors module', () => {
    expect(files.filter((f) => !f.startsWith('src/errors/') && f !== 'src/errors.ts' && constructs(f))).toEqual([]);
  });
});
