/**
 * A Node program whose only pending work is a call with a deadline: spawned as a real process,
 * it must stay alive until the call settles and see its `E_TIMEOUT` (which names the method),
 * not exit silently with code 13 while the call is still pending.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixtures = fileURLToPath(new URL('../../node_modules/.remora-fixtures', import.meta.url));

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(fixtures, script)], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('a process whose only work is a pending call', () => {
  it('stays alive until the call times out, and rejects it with E_TIMEOUT naming the method', async () => {
    const r = await run('lone-timeout.renderer.mjs');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.code).toBe('E_TIMEOUT');
    expect(out.message).toContain('section.get() call did not settle within 200 ms');
  });
});
