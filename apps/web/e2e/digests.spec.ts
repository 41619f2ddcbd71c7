import { rmSync } from 'node:fs';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';
import { readMailFolder } from '@everyskill/email/testing';

// Digest preference, the cron endpoint, the email it sends (written to MAIL_DIR, as on the embedded
// default), and the unsubscribe link in that email followed by someone who is not signed in.

const CRON_SECRET = 'e2e-cron-secret-0123456789abcdef';
const mailDir = process.env.E2E_MAIL_DIR!;

test.afterAll(() => rmSync(mailDir, { recursive: true, force: true }));

async function digestsTo(email: string) {
  return (await readMailFolder(mailDir)).filter((m) => !Array.isArray(m.to) && m.to?.value.some((a) => a.address === email));
}

test('a person switches to a daily digest, receives it, and unsubscribes from the email without signing in', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  // A person of their own, so a database reused across runs has never mailed them.
  const email = `digest-${Date.now()}@demo.test`;
  await devSignIn(page, email);

  await page.goto('/settings/notifications');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notification settings');
  await expect(page.getByLabel(/^Weekly/)).toBeChecked();
  await page.getByLabel(/^Daily/).check();
  await page.getByRole('button', { name: 'Save digest setting' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You will get a daily digest.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/^Daily/)).toBeChecked();

  // The scheduler's call: refused without the secret, accepted with it.
  expect((await request.post('/api/cron/daily-digest')).status()).toBe(401);
  expect((await request.post('/api/cron/daily-digest', { headers: { authorization: 'Bearer wrong-secret' } })).status()).toBe(401);
  const started = await request.post('/api/cron/daily-digest', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(started.status()).toBe(202);
  const run = (await started.json()) as { runId: string; kind: string; period: string };
  expect(run).toMatchObject({ kind: 'daily', period: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

  await expect.poll(async () => (await digestsTo(email)).length, { timeout: 45_000 }).toBe(1);
  const [digest] = await digestsTo(email);
  expect(digest!.subject).toContain('Demo Company skills digest');
  expect(digest!.text).toMatch(/unsubscribe http:\/\/\S+\/unsubscribe\?token=/);
  const link = /href="([^"]*\/unsubscribe\?token=[^"]+)"/.exec(String(digest!.html))?.[1]?.replace(/&amp;/g, '&');
  expect(link).toBeDefined();

  // A second call for the same period sends nothing more.
  const again = await request.get('/api/cron/daily-digest', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(((await again.json()) as { runId: string }).runId).toBe(run.runId);

  // The link works in a browser that is not signed in.
  const anonymous = await browser.newContext();
  try {
    const mailClient = await anonymous.newPage();
    await mailClient.goto(link!);
    await expect(mailClient.getByText(`Digest emails of Demo Company to ${email}.`)).toBeVisible();
    await mailClient.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect(mailClient.getByRole('status')).toContainText(`You are unsubscribed: ${email} gets no more digest emails`);
  } finally {
    await anonymous.close();
  }

  await page.reload();
  await expect(page.getByLabel(/^Off/)).toBeChecked();
  await page.waitForTimeout(1500);
  expect(await digestsTo(email)).toHaveLength(1);

  // The development mail page lists what was written to the folder.
  await page.goto('/dev/mail');
  await expect(page.getByTestId('dev-mail-list')).toContainText(`to ${email}`);
});

test('the notification bell links to the notifications page', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.getByTestId('notification-bell').click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications');
});

test('an admin sees the workspace integrity report; a member does not', async ({ page, request }) => {
  await devSignIn(page, 'ada@demo.test');
  await page.goto('/admin/integrity');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Integrity');
  for (const section of ['integrity-counters', 'integrity-cross-tenant', 'integrity-missing-blobs', 'integrity-orphan-blobs', 'integrity-embeddings']) {
    await expect(page.getByTestId(section)).toBeVisible();
  }
  // The seeded workspace's counters add up.
  await expect(page.getByTestId('integrity-counters')).toHaveAttribute('data-count', '0');

  // The cron endpoint reports every tenant as JSON (a reused database may hold other tests' findings).
  const report = await request.post('/api/cron/integrity-check', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(report.status()).toBe(200);
  const body = (await report.json()) as { repair: boolean; tenants: number; counters: unknown[]; orphanBlobs: unknown[] };
  expect(body).toMatchObject({ repair: false, counters: expect.any(Array), orphanBlobs: expect.any(Array) });
  expect(body.tenants).toBeGreaterThanOrEqual(2); // demo and acme at least

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await devSignIn(page, 'max@demo.test');
  await page.goto('/admin/integrity');
  await expect(page.getByRole('heading', { name: 'Only admins can see this page' })).toBeVisible();
});
