import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // The same entry points as package.json "exports" and tsconfig "paths", one by one: specs
    // and examples import remora as users do, and an unlisted internal path does not resolve.
    alias: [
      { find: /^remora$/, replacement: src('./src/index.ts') },
      { find: /^remora\/main$/, replacement: src('./src/entries/main.ts') },
      { find: /^remora\/renderer$/, replacement: src('./src/renderer/index.ts') },
      { find: /^remora\/react$/, replacement: src('./src/react/index.ts') },
      { find: /^remora\/transports\/(worker|memory|websocket|websocket-page)$/, replacement: src('./src/transports/$1.ts') },
      { find: /^remora\/electron\/(main|preload|renderer)$/, replacement: src('./src/electron/$1.ts') },
      { find: /^remora\/actors\/(state-actor)$/, replacement: src('./actors/$1.ts') },
      { find: /^remora\/inspector$/, replacement: src('./src/inspector/index.ts') },
    ],
  },
  test: {
    // examples/testing is the app-testing example docs/testing.md walks through.
    include: ['specs/**/*.spec.ts', 'examples/testing/*.spec.ts'],
    pool: 'forks',
    // Lifetime specs use real garbage collection.
    execArgv: ['--expose-gc'],
    globalSetup: ['specs/support/build-fixtures.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
