import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The S3 suite runs an in-process S3 server; one file at a time keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
