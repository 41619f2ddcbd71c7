import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    // scripts/: the admin CLI and the seed, tested against a real database (PGlite, or the
    // PostgreSQL server when DATABASE_URL is set) and, for the CLI, as its own process.
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Files share one database server and migrating an embedded one is CPU-bound; one file at a
    // time keeps a 2-core machine responsive.
    fileParallelism: false,
  },
});
