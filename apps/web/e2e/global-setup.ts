import { existsSync, readFileSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { healthResponseSchema } from '@everyskill/contracts';
import { buildIdFile, standaloneServer } from './support/paths';
import { CHROMIUM } from './support/chromium';

/**
 * Runs once, after `webServer` has prepared its database and started (Playwright's order), and
 * fails early with a fix when the run would test the wrong thing.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`bash scripts/install-system-deps.sh\` (apt package chromium).`);
  }
  if (!existsSync(standaloneServer)) {
    throw new Error(`${standaloneServer} is missing: run \`pnpm build\` in apps/web first.`);
  }
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error('playwright.config.ts must set use.baseURL');
  const health = healthResponseSchema.parse(await (await fetch(`${baseURL}/api/health`)).json());
  const builtId = readFileSync(buildIdFile, 'utf8').trim();
  if (health.buildId !== builtId) {
    throw new Error(`the server on ${baseURL} serves build ${health.buildId}, not this build (${builtId}): stop it.`);
  }
  const expectedKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  if (health.dbKind !== expectedKind || health.status !== 'ok') {
    throw new Error(`the e2e server is not ready: ${JSON.stringify(health)} (expected a ${expectedKind} database, status ok)`);
  }
  // serve-e2e.ts created tenant acme (email domain acme.test) for the sign-in specs; its host must be served.
  const acme = await fetch(`${baseURL}/api/check-domain?domain=acme.localhost`);
  if (acme.status !== 200) {
    throw new Error(`tenant acme is missing on the e2e server (check-domain answered ${acme.status}); see e2e/support/serve-e2e.ts`);
  }
}
