import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { healthResponseSchema } from '@everyskill/contracts';
import { expect, test } from './support/test';
import { buildIdFile } from './support/paths';
import { createTenant, prepareDatabase } from './support/prepare-database';
import { isolatedEnv } from './support/server-env';
import { getWithHost, runStandaloneUntilExit, startStandalone, type RunningServer } from './support/standalone';

// Acceptance: one `next build`; the same standalone output started twice with different
// environments serves each its own configuration.
test.describe('one build, configured at run time', () => {
  const dataDirs: string[] = [];
  let alpha: RunningServer;
  let beta: RunningServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000); // two embedded databases migrated and seeded, two servers started
    const [alphaDir, betaDir] = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), 'everyskill-standalone-')));
    dataDirs.push(alphaDir!, betaDir!);
    await Promise.all([
      prepareDatabase(isolatedEnv({ EVERYSKILL_DATA_DIR: alphaDir })),
      prepareDatabase(isolatedEnv({ EVERYSKILL_DATA_DIR: betaDir })).then(() =>
        createTenant(isolatedEnv({ EVERYSKILL_DATA_DIR: betaDir }), {
          slug: 'acme',
          name: 'Acme Corp',
          emailDomain: 'acme.test',
        }),
      ),
    ]);
    [alpha, beta] = await Promise.all([
      startStandalone({
        APP_ENV: 'test',
        APP_URL: 'https://alpha.example.test',
        ROOT_DOMAIN: 'alpha.test',
        DEV_TENANT_SLUG: 'demo',
        EVERYSKILL_DATA_DIR: alphaDir,
      }),
      startStandalone({
        APP_ENV: 'development',
        APP_URL: 'https://beta.example.test',
        ROOT_DOMAIN: 'beta.test',
        DEV_TENANT_SLUG: 'acme',
        EVERYSKILL_DATA_DIR: betaDir,
      }),
    ]);
  });

  test.afterAll(async () => {
    await Promise.all([alpha?.stop(), beta?.stop()]);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  test('each server shows its own fallback tenant and canonical URL', async ({ page }) => {
    await page.goto(alpha.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo Company');
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /^https:\/\/alpha\.example\.test\/?$/);
    await expect(page.getByTestId('environment-badge')).toHaveText('test');

    await page.goto(beta.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Corp');
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /^https:\/\/beta\.example\.test\/?$/);
    await expect(page.getByTestId('environment-badge')).toHaveText('development');
  });

  test('each server resolves tenant subdomains of its own ROOT_DOMAIN only', async () => {
    const onBeta = await getWithHost(beta.url, `demo.beta.test:${beta.port}`);
    expect(onBeta.status).toBe(200);
    expect(onBeta.body).toContain('Demo Company</h1>');

    const foreignOnAlpha = await getWithHost(alpha.url, `demo.beta.test:${alpha.port}`);
    expect(foreignOnAlpha.status).toBe(404);
    const ownOnAlpha = await getWithHost(alpha.url, `demo.alpha.test:${alpha.port}`);
    expect(ownOnAlpha.status).toBe(200);
  });

  test('both serve the same build', async ({ request }) => {
    const builtId = readFileSync(buildIdFile, 'utf8').trim();
    for (const server of [alpha, beta]) {
      const response = await request.get(`${server.url}/api/health`);
      expect(response.status()).toBe(200);
      const health = healthResponseSchema.parse(await response.json());
      expect(health).toMatchObject({ buildId: builtId, db: 'ok', dbKind: 'pglite', pendingMigrations: 0 });
    }
  });
});

test('a production server without AUTH_SECRET and DATABASE_URL refuses to start, naming both', async () => {
  const result = await runStandaloneUntilExit({ APP_ENV: 'production', APP_URL: 'https://skills.example.com' });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^AUTH_SECRET: is required when APP_ENV is production/m);
  expect(result.stderr).toMatch(/^DATABASE_URL: is required when APP_ENV is production/m);
});

test('a malformed variable stops the server with a line naming it', async () => {
  const result = await runStandaloneUntilExit({ APP_ENV: 'test', APP_URL: 'not a url', LOG_LEVEL: 'chatty' });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^APP_URL: must be an absolute http\(s\) URL/m);
  expect(result.stderr).toMatch(/^LOG_LEVEL: must be one of/m);
});
