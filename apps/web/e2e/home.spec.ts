import { healthResponseSchema } from '@everyskill/contracts';
import { expect, test } from './support/test';

test('the home page shows the demo tenant by name', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo Company');
  await expect(page.getByTestId('tenant-brand')).toHaveText(/Demo Company/);
  await expect(page.getByRole('heading', { name: "Sign in to see your company's skills" })).toBeVisible();
  // Signed out, the page says nothing about how many skills there are: they are the company's.
  await expect(page.getByRole('heading', { name: 'Share what works' })).toBeVisible();
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();

  const screenshot = testInfo.outputPath('home.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('home', { path: screenshot, contentType: 'image/png' });
});

test('/api/health reports a healthy, migrated database and is never cached', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toContain('no-store');
  const health = healthResponseSchema.parse(await response.json());
  expect(health).toMatchObject({ status: 'ok', db: 'ok', pendingMigrations: 0 });
  expect(health.dbKind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
});

test('a keyboard user reaches the skip link first and it moves focus to the content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main#main')).toBeFocused();
});

test('a tenant subdomain serves that tenant; an unknown one is a 404', async ({ page, baseURL }) => {
  const { port } = new URL(baseURL ?? '');
  await page.goto(`http://demo.localhost:${port}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo Company');

  const response = await page.goto(`http://no-such-company.localhost:${port}/`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('the header search submits to /search?q= (signed out: to sign-in, then back to the results)', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('searchbox', { name: 'Search skills' });
  await search.fill('code review');
  await search.press('Enter');
  // Skills are the company's: an anonymous search goes through sign-in and comes back to the same query.
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsearch%3Fq%3Dcode(%2B|%20)review/);
});

test('on a phone the navigation lives in a menu that opens and closes', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const header = page.getByRole('banner');
  // A native <details> menu: its <summary> is the button, named "Menu".
  const menuButton = header.getByLabel('Menu', { exact: true });
  const menu = header.getByRole('navigation', { name: 'Main' });
  await expect(menuButton).toBeVisible();
  await expect(menu).toBeHidden();

  await menuButton.click();
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('link', { name: 'Skills', exact: true })).toBeVisible();
  await testInfo.attach('menu-open', { body: await page.screenshot(), contentType: 'image/png' });
  // Escape closes it from inside too, and gives focus back to its button.
  await menu.getByRole('link', { name: 'Skills', exact: true }).focus();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();
  // The keyboard opens it again; a click outside closes it.
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await page.getByRole('main').click({ position: { x: 5, y: 5 } });
  await expect(menu).toBeHidden();

  await menuButton.click();
  await header.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(menu).toBeHidden();
});

test('an unknown page is a 404 with a way home', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo Company');
});
