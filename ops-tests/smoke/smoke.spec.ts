import { expect, test } from '@playwright/test';

// What must hold for a release to be promotable: it is the build deploy.sh just shipped, its
// database is reachable and fully migrated, and the home page renders without an error.

test('health reports the deployed build, a reachable database and no pending migrations', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const health = await response.json();
  const expected = process.env.SMOKE_EXPECT_BUILD_ID;
  if (expected) expect(health.buildId).toBe(expected);
  expect(health).toMatchObject({ db: 'ok', pendingMigrations: 0 });
});

test('the home page renders', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  expect(errors).toEqual([]);
});
