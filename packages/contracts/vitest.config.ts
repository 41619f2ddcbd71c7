import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    // Property tests are CPU-bound; one file at a time keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
