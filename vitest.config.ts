import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['workers/**/*.test.ts', 'bench/**/*.test.ts', 'kernels/test/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts'],
    globalSetup: ['scripts/vitest-setup.mjs'],
    pool: 'forks',
    // the engine's memory tests collect garbage before they read the process's size
    execArgv: ['--expose-gc'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
