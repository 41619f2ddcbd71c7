import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const appDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(appDir, '../..');

/** BUILD_ID when CI sets one, else `<git sha>-<UTC timestamp>` so two builds never share an id. */
function buildId(): string {
  const fromEnv = process.env.BUILD_ID?.trim();
  if (fromEnv) return fromEnv;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${gitSha()}-${stamp}`;
}

function gitSha(): string {
  const fromEnv = process.env.GIT_SHA?.trim();
  if (fromEnv) return fromEnv.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'nogit'; // no git, or a repository without commits yet
  }
}

const nextConfig: NextConfig = {
  output: 'standalone',
  outputFileTracingRoot: repoRoot,
  transpilePackages: ['@everyskill/base', '@everyskill/contracts', '@everyskill/core', '@everyskill/db', '@everyskill/jobs', '@everyskill/ai', '@everyskill/email', '@everyskill/provenance'],
  // Loaded by Node at run time, not bundled: PGlite finds its .wasm/.data/.tar.gz next to its own files.
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', 'postgres', 'pg-boss', 'pg'],
  // The migration runner reads packages/db/migrations at run time (health counts pending ones);
  // in the standalone server that path resolves to .next/standalone/packages/db/migrations.
  outputFileTracingIncludes: { '/api/health': ['../../packages/db/migrations/*.sql'] },
  // packages/db walks the filesystem from the cwd, so Turbopack traces this whole folder:
  // keep sources and test output out of the deployable server.
  outputFileTracingExcludes: {
    '/*': ['./src/**', './e2e/**', './scripts/**', './test-results/**', './playwright-report/**', './*.ts', './*.mjs'],
  },
  generateBuildId: buildId,
  // forbidden() answers 403 with app/forbidden.tsx: a person of one tenant on another tenant's host.
  experimental: {
    authInterrupts: true,
    // An upload is published through a server action: room for the bundle limit (10 MiB, checked
    // again by the bundle reader) plus the form around it, instead of Next's 1 MB default, and the
    // same for the proxy, which otherwise sees only the first 10 MB of a request.
    serverActions: { bodySizeLimit: '12mb' },
    proxyClientMaxBodySize: '12mb',
  },
  // The proxy (src/proxy.ts) must tell a router prefetch from the person's own navigation; by
  // default Next strips its router headers (rsc, next-router-prefetch, …) before the proxy runs.
  skipProxyUrlNormalize: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
