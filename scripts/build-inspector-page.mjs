#!/usr/bin/env node
// Part of `npm run build`: bundle the inspector page (src/inspector/page/main.ts with remora's
// renderer and WebSocket page transport) into dist/src/inspector/inspector-page.js, so an app
// that installs the package serves the inspector without esbuild (a dev dependency here).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  entryPoints: [`${root}src/inspector/page/main.ts`],
  outfile: `${root}dist/src/inspector/inspector-page.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome110',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('built dist/src/inspector/inspector-page.js');
