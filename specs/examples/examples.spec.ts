/**
 * The README's runnable examples, run as a user runs them (`npm run example:<name>`, i.e. tsx
 * on examples/<name>/main.ts with a renderer in a real worker thread), so they stay true.
 * Each must exit 0 and print the line that says its point was made. The browser demo runs in
 * specs/e2e; the Electron app needs Electron's binary and is type-checked instead.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function run(name: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [`examples/${name}/main.ts`], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const examples: Array<[name: string, proof: RegExp]> = [
  ['demo', /done: nothing leaked, nothing threw in main\./],
  ['readme', /tables after the renderer left: \{\s+sessions: 0,\s+refs: 0,/],
  ['supervision', /done: \d+ calls answered, \d+ failed with a typed error, \d+ dead letters; main never threw\./],
  ['inspect', /session-closed/],
  ['reactive-window', /the reload left nothing behind\./],
  ['shared-list', /renderers gone; open state subscriptions: 0/],
  ['validation', /done: the foreign page was denied, 2 bad calls were refused with E_BAD_ARGS, the implementation saw only valid data\./],
];

describe('examples', () => {
  for (const [name, proof] of examples) {
    it(`npm run ${name === 'demo' ? 'demo' : `example:${name}`} exits 0 and makes its point`, async () => {
      const { code, out } = await run(name);
      expect(out).toMatch(proof);
      expect(code, out).toBe(0);
    }, 60_000);
  }
});
