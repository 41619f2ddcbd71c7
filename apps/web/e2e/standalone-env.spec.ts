import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { healthResponseSchema } from '@everyskill/contracts';
import { expect, test } from './support/test';
import { buildIdFile, repoRoot } from './support/paths';
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

// Acceptance (issue 17): every package's variables are validated when the process starts, not on
// first use. A production configuration that is otherwise complete, with one bad variable of one
// package; nothing is connected to before the check, so the database URL need not answer.
const production = {
  APP_ENV: 'production',
  APP_URL: 'https://skills.example.com',
  ROOT_DOMAIN: 'skills.example.com',
  AUTH_SECRET: 'x'.repeat(32),
  SIGNING_KEYS_SECRET: 'a'.repeat(64),
  DATABASE_URL: 'postgres://everyskill@127.0.0.1:1/everyskill',
  AUTH_GOOGLE_ID: 'google-client-id',
  AUTH_GOOGLE_SECRET: 'google-client-secret',
};

/** One bad value of each package's variables, with the start of the line that must name it. */
const badVariableOfEachPackage = [
  { pkg: 'db', vars: { DATABASE_POOL_MAX: 'lots' }, line: /^DATABASE_POOL_MAX: /m },
  { pkg: 'storage', vars: { STORAGE_DRIVER: 'ftp' }, line: /^STORAGE_DRIVER: must be 'local' or 's3'/m },
  { pkg: 'core (search)', vars: { EMBEDDING_PROVIDER: 'magic' }, line: /^EMBEDDING_PROVIDER: must be one of/m },
  { pkg: 'core (rate limits)', vars: { API_RATE_LIMIT_SYNC_MS: 'fast' }, line: /^API_RATE_LIMIT_SYNC_MS: /m },
  { pkg: 'core (digests)', vars: { DIGEST_DEFAULT_FREQUENCY: 'hourly' }, line: /^DIGEST_DEFAULT_FREQUENCY: must be 'off', 'daily' or 'weekly'/m },
  { pkg: 'jobs', vars: { JOBS_CONCURRENCY: '0' }, line: /^JOBS_CONCURRENCY: /m },
  { pkg: 'ai', vars: { ANTHROPIC_BASE_URL: 'ftp://claude.example.test' }, line: /^ANTHROPIC_BASE_URL: must be an http\(s\) URL/m },
  { pkg: 'email', vars: { SMTP_PORT: '99999' }, line: /^SMTP_PORT: /m },
] as const;

test.describe('a production start validates every package\'s configuration', () => {
  test.describe.configure({ timeout: 90_000 });
  test('the complete production configuration used below starts', async () => {
    // The control: without it, every refusal below could come from the base configuration. The
    // server validates, then serves (its database is only opened on first use): it answers HTTP,
    // which is what it waits for, however slow the machine is.
    const server = await startStandalone(production);
    try {
      const health = await getWithHost(`${server.url}/api/health`, 'skills.example.com');
      expect(health.status, server.output()).toBeGreaterThanOrEqual(200);
      expect(server.output()).not.toContain('EverySkill cannot start');
    } finally {
      await server.stop();
    }
  });

  for (const { pkg, vars, line } of badVariableOfEachPackage) {
    test(`a bad ${Object.keys(vars)[0]} (${pkg}) stops the server with a line naming it`, async () => {
      const result = await runStandaloneUntilExit({ ...production, ...vars });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('EverySkill cannot start: invalid configuration');
      expect(result.stderr).toMatch(line);
    });
  }

  test('every bad variable at once is named, one line each', async () => {
    const all = Object.assign({}, ...badVariableOfEachPackage.map((b) => b.vars)) as Record<string, string>;
    const result = await runStandaloneUntilExit({ ...production, ...all, LOG_LEVEL: 'chatty' });
    expect(result.code).toBe(1);
    for (const { line } of badVariableOfEachPackage) expect(result.stderr).toMatch(line);
    expect(result.stderr).toMatch(/^LOG_LEVEL: must be one of/m);
    const named = result.stderr.split('\n').filter((l) => /^[A-Z][A-Z0-9_]+: /.test(l));
    expect(named).toHaveLength(badVariableOfEachPackage.length + 1);
  });

  for (const command of [
    { name: 'the job worker (pnpm jobs:work)', args: ['jobs:work'] },
    { name: 'the admin CLI (pnpm everyskill admin)', args: ['everyskill', 'admin', 'tenant', 'list'] },
  ]) {
    test(`${command.name} refuses to start with a bad variable of any package, naming each`, async () => {
      const result = await runToExit('pnpm', ['--silent', ...command.args], { ...production, STORAGE_DRIVER: 'ftp', JOBS_CONCURRENCY: '0', EMBEDDING_PROVIDER: 'magic' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('EverySkill cannot start: invalid configuration');
      expect(result.stderr).toMatch(/^STORAGE_DRIVER: /m);
      expect(result.stderr).toMatch(/^JOBS_CONCURRENCY: /m);
      expect(result.stderr).toMatch(/^EMBEDDING_PROVIDER: /m);
    });
  }
});

/** Runs a command of the repository to its end with exactly `vars` as its configuration. */
function runToExit(command: string, args: string[], vars: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repoRoot, env: isolatedEnv(vars), timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}
