// Completes `.next/standalone` after `next build`: Next leaves out the static assets and public/
// (a CDN may serve them), but our server serves them itself, so copy both in. Then checks that the
// files the server reads at run time, which no import names, were traced into the output.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const standaloneRoot = path.join(appDir, '.next/standalone');
const standaloneApp = path.join(standaloneRoot, 'apps/web');

if (!existsSync(path.join(standaloneApp, 'server.js'))) {
  fail(`${standaloneApp}/server.js is missing; run \`next build\` first.`);
}

for (const dir of ['.next/static', 'public']) {
  const target = path.join(standaloneApp, dir);
  rmSync(target, { recursive: true, force: true });
  if (existsSync(path.join(appDir, dir))) cpSync(path.join(appDir, dir), target, { recursive: true });
}

// The everyskill command built alongside (packages/cli, built first by turbo), served at /cli/everyskill.tgz.
const cliTarball = path.resolve(appDir, '../../packages/cli/dist/everyskill.tgz');
if (existsSync(cliTarball)) {
  mkdirSync(path.join(standaloneApp, 'cli'), { recursive: true });
  cpSync(cliTarball, path.join(standaloneApp, 'cli/everyskill.tgz'));
}

const pnpmStore = path.join(standaloneRoot, 'node_modules/.pnpm');
const packageDir = (prefix, name) => {
  const entry = existsSync(pnpmStore) ? readdirSync(pnpmStore).find((e) => e.startsWith(prefix)) : undefined;
  return entry ? path.join(pnpmStore, entry, 'node_modules', name) : path.join(pnpmStore, `${prefix}(missing)`);
};
const pglite = packageDir('@electric-sql+pglite@', '@electric-sql/pglite');
const pgvector = packageDir('@electric-sql+pglite-pgvector@', '@electric-sql/pglite-pgvector');
const required = [
  path.join(pglite, 'dist/pglite.wasm'),
  path.join(pglite, 'dist/pglite.data'),
  path.join(pglite, 'dist/pgcrypto.tar.gz'),
  path.join(pglite, 'dist/pg_trgm.tar.gz'),
  path.join(pgvector, 'dist/vector.tar.gz'),
  path.join(standaloneRoot, 'packages/db/migrations/0001_init.sql'),
  path.join(standaloneApp, '.next/BUILD_ID'),
  path.join(standaloneApp, 'cli/everyskill.tgz'),
];
const missing = required.filter((file) => !existsSync(file));
if (missing.length > 0) {
  fail(`the standalone output lacks files the server reads at run time:\n${missing.map((f) => `  ${f}`).join('\n')}`);
}
console.log(`assemble-standalone: copied .next/static, public/ and the everyskill command; ${required.length} run-time files present`);

function fail(message) {
  console.error(`assemble-standalone: ${message}`);
  process.exit(1);
}
