/**
 * The inspector page's script: remora's own renderer, its WebSocket page transport and the
 * page code under `./page/`, bundled for the browser from the package's own files. A bundle
 * prebuilt next to this module (`inspector-page.js`) is used when present; otherwise esbuild
 * builds it on first request, offline (no CDN, no network, nothing fetched).
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as errors from '../errors/factories.js';

/** File name of a prebuilt page bundle, looked for next to this module. */
export const PREBUILT_BUNDLE = 'inspector-page.js';

/** The page bundle's JavaScript (ES module for current Chromium). */
export async function buildPageBundle(): Promise<string> {
  const prebuilt = fileURLToPath(new URL(`./${PREBUILT_BUNDLE}`, import.meta.url));
  if (existsSync(prebuilt)) return readFileSync(prebuilt, 'utf8');
  const ts = fileURLToPath(new URL('./page/main.ts', import.meta.url));
  const entry = existsSync(ts) ? ts : fileURLToPath(new URL('./page/main.js', import.meta.url));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw errors.of('E_INVALID_ARGS', `The inspector page is bundled on first use with esbuild, which is not installed: run "npm i -D esbuild", or ship ${PREBUILT_BUNDLE} next to the inspector module.`, { cause: e });
  }
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
