import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Files share one database server and the property tests are CPU-bound; one file at a time
    // keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
