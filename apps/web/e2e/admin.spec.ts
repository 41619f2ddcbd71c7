import type { Page } from '@playwright/test';
import { expect, test } from './support/test';

// The development sign-in (as the README demo uses it) and the admin pages of a workspace.

async function devSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  const form = page.getByTestId('development-sign-in');
  await expect(form.getByRole('heading', { name: 'Development sign-in' })).toBeVisible();
  await expect(form.getByText('Development only')).toBeVisible();
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Sign in for development' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

test('ada@demo.test signs in with the development sign-in and renames the workspace', async ({ page }) => {
  await devSignIn(page, 'ada@demo.test');
  await expect(page.getByTestId('signed-in-as')).toHaveText('Ada Admin');
  await page.getByRole('banner').getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/members$/);
  await expect(page.getByTestId('member-max@demo.test')).toContainText('member');

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Workspace settings');
  const name = page.getByLabel('Workspace name');
  await expect(name).toHaveValue('Demo Company');
  await expect(page.getByLabel('API keys expire after (days)')).toHaveValue('90');
  await name.fill('Demo Company Renamed');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await expect(page.getByTestId('tenant-brand')).toHaveText(/Demo Company Renamed/);

  await page.getByLabel('Logo URL').fill('http://insecure.example/logo.png');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'logoUrl: logo URL must be an https:// address of an image, or empty for none',
  );
  await page.getByLabel('Logo URL').fill('');

  await name.fill('Demo Company');
  await page.getByLabel('API keys expire after (days)').fill('90');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('tenant-brand')).toHaveText(/Demo Company$/);
});

test('an admin adds a vanity domain that waits for its DNS TXT record', async ({ page }) => {
  await devSignIn(page, 'ada@demo.test');
  await page.goto('/admin/settings');
  const host = `skills-${Date.now()}.demo-corp.test`;
  await page.getByLabel('Domain', { exact: true }).fill(host);
  await page.getByLabel('Kind').selectOption('vanity');
  await page.getByRole('button', { name: 'Add domain' }).click();
  const row = page.getByTestId(`domain-${host}`);
  await expect(row).toContainText('not verified');
  await expect(row).toContainText(`_everyskill.${host}`);
  await expect(row).toContainText(/everyskill-verification=[0-9a-f]{32}/);
  // Not served before it is verified.
  expect((await page.request.get(`/api/check-domain?domain=${host}`)).status()).toBe(404);
  await row.getByRole('button', { name: `Remove ${host}` }).click();
  await expect(page.getByTestId(`domain-${host}`)).toHaveCount(0);
});

test('a member sees no admin pages, and the last admin cannot demote themselves', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await expect(page.getByTestId('signed-in-as')).toHaveText('Max Member');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  expect((await page.goto('/admin/members'))?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Only admins can see this page' })).toBeVisible();
  await expect(page.getByRole('main').getByText('max@demo.test')).toHaveCount(0);
  // Every admin page answers 403 and says why, none fails with an error page.
  for (const path of ['/admin/settings', '/admin/search', '/admin/reviews', '/admin/jobs', '/admin/integrity']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'Only admins can see this page' }), path).toBeVisible();
  }

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await devSignIn(page, 'ada@demo.test');
  await page.goto('/admin/members');
  const ada = page.getByTestId('member-ada@demo.test');
  await ada.getByLabel('Role of Ada Admin (ada@demo.test)', { exact: true }).selectOption('member');
  await ada.getByRole('button', { name: 'Save role of Ada Admin (ada@demo.test)' }).click();
  await expect(ada.getByRole('alert')).toContainText('ada@demo.test is the last active admin of this workspace');
});

test('the development sign-in refuses an address whose domain has no workspace', async ({ page }) => {
  await devSignIn(page, 'someone@nowhere.test');
  await expect(page).toHaveURL(/\/sign-in\/refused\?reason=no_workspace$/);
  await expect(page.getByRole('heading', { name: 'Your domain has no EverySkill workspace' })).toBeVisible();
});
