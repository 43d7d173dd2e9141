/**
 * `npm run example:react-todos` run as a user runs it (tsx on examples/react-todos/main.ts,
 * which drives a React page in headless Chromium): it must exit 0 and print its proof line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

describe('examples/react-todos', () => {
  it('exits 0 after showing that one toggle re-rendered one row and the closed page left nothing', async () => {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(tsx, ['examples/react-todos/main.ts'], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d));
      child.stderr.on('data', (d: Buffer) => (text += d));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, out: text }));
    });
    expect(out).toMatch(/rows rendered more than once: 2 of 1000 \(two toggles\)/);
    expect(out).toMatch(/done: one toggle re-rendered one row of 1,000, and the closed page left nothing in main\./);
    expect(code, out).toBe(0);
  }, 90_000);
});
