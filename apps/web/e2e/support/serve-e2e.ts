// The command Playwright's `webServer` runs (`node --import tsx e2e/support/serve-e2e.ts`):
// prepares the database the environment names, then runs the built standalone server in the
// foreground. Playwright starts webServer *before* globalSetup, so the database cannot be
// prepared there; it is prepared here, right before the server that uses it.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createTenant, prepareDatabase } from './prepare-database';
import { standaloneServer } from './paths';

if (!existsSync(standaloneServer)) {
  console.error(`${standaloneServer} is missing: run \`pnpm build\` in apps/web before \`pnpm e2e\`.`);
  process.exit(1);
}
const dataDir = process.env.DATABASE_URL ? undefined : process.env.EVERYSKILL_DATA_DIR;
if (dataDir) rmSync(dataDir, { recursive: true, force: true }); // always a fresh embedded database

await prepareDatabase(process.env);
// The identity specs sign in as alice@acme.test: the tenant exists before the server starts, as
// an operator would create it (an embedded database admits one process at a time).
await createTenant(process.env, { slug: 'acme', name: 'Acme Corp', emailDomain: 'acme.test' });
const server = spawn(process.execPath, [standaloneServer], { env: process.env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
