/**
 * The published package as a stranger installs it: `scripts/check-package.mjs` builds, packs,
 * installs the tarball into a new ESM app beside rxjs 7.8.1 without electron, and checks one
 * rxjs, a strict type-check (skipLibCheck false) of a renderer composing `fromRemoteEvent`, a
 * browser page that type-checks without @types/node, and that unlisted internal paths do not
 * resolve. It needs the npm registry (the app installs
 * rxjs and remora's dependencies) and takes about 15 s alone (up to ~2 min on a loaded machine).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function checkPackage(): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/check-package.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('the packed tarball', () => {
  it('installs beside the app rxjs as its only rxjs, type-checks strictly without electron and a page without Node types, and exposes only listed entry points', async () => {
    const { code, out } = await checkPackage();
    expect(out).toContain('ok   one rxjs in the tree');
    expect(out).toContain('ok   electron is not installed');
    expect(out).toContain('ok   tsc (skipLibCheck false) type-checks a renderer');
    expect(out).toContain('ok   tsc type-checks a browser page (websocket-page) without @types/node');
    expect(out).toContain('ok   tsc rejects an unlisted internal path');
    expect(out).toContain('ok   node refuses an unlisted internal path');
    expect(out, out).toContain('package check passed');
    expect(code).toBe(0);
  }, 300_000);
});
