import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/support/chromium';
import { oidcIssuer } from './e2e/support/oidc-provider';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// With DATABASE_URL set (CI's PostgreSQL job) the suite runs against it; otherwise against a fresh
// embedded database in a temp folder. The config is loaded again in every worker: keep the path.
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `everyskill-e2e-${process.pid}`);
// Where the server writes email (no SMTP_HOST): the digest spec reads what was "sent" from here.
process.env.E2E_MAIL_DIR ??= path.join(os.tmpdir(), `everyskill-e2e-mail-${process.pid}`);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // Every page a test opens is also scanned by axe-core (e2e/support/test.ts), which costs seconds a page.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  // Specs start their own servers; on 2 cores one worker keeps timings honest.
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node --import tsx e2e/support/serve-e2e.ts',
    url: `${baseURL}/api/health`,
    // Creating the embedded database and seeding it takes well under a minute on a quiet machine;
    // a loaded one has taken more than two.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      APP_ENV: 'test',
      APP_URL: baseURL,
      ROOT_DOMAIN: 'localhost',
      DEV_TENANT_SLUG: 'demo',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Google sign-in against the local OIDC server the sign-in specs start (e2e/support/oidc-provider.ts),
      // and the development sign-in the other specs use.
      AUTH_GOOGLE_ID: 'e2e-google-client',
      AUTH_GOOGLE_SECRET: 'e2e-google-secret',
      AUTH_GOOGLE_ISSUER: oidcIssuer(),
      AUTH_DEV_SIGN_IN: 'on',
      CRON_SECRET: 'e2e-cron-secret-0123456789abcdef',
      MAIL_DIR: process.env.E2E_MAIL_DIR,
      METRICS_TOKEN: 'e2e-metrics-token-0123456789',
      ...(process.env.DATABASE_URL ? {} : { EVERYSKILL_DATA_DIR: process.env.E2E_DATA_DIR }),
    },
  },
});
