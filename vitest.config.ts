import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // The same mapping as tsconfig "paths": specs and examples import remora as users do.
    alias: [
      { find: /^remora\/main$/, replacement: src('./src/entries/main.ts') },
      { find: /^remora\/renderer$/, replacement: src('./src/renderer/index.ts') },
      { find: /^remora\/transports\/(.*)$/, replacement: src('./src/transports/$1.ts') },
      { find: /^remora\/electron\/(.*)$/, replacement: src('./src/electron/$1.ts') },
      { find: /^remora\/actors\/(.*)$/, replacement: src('./actors/$1.ts') },
      { find: /^remora$/, replacement: src('./src/index.ts') },
    ],
  },
  test: {
    include: ['specs/**/*.spec.ts'],
    pool: 'forks',
    // Lifetime specs use real garbage collection.
    execArgv: ['--expose-gc'],
    globalSetup: ['specs/support/build-fixtures.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
