import type { BrowserContext, Page } from '@playwright/test';
import { packSkillTarGz } from './support/skill-archive';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';

// Every main page at phone, tablet and desktop widths: the header stays one row with the
// workspace's name whole, nothing scrolls sideways (long code scrolls in its own block, prose
// wraps), and a screenshot of each width is attached to the run. 360 and 1440 px are checked too,
// the narrowest and widest the header is designed for.

test.describe.configure({ timeout: 90_000 });

const SCREENSHOT_WIDTHS = [390, 768, 1280];
const CHECKED_WIDTHS = [360, ...SCREENSHOT_WIDTHS, 1440];
const run = Date.now().toString(36);
const slug = `e2e-layout-${run}`;

// Long code lines, a long unbroken word, a long link and a wide table: what made pages scroll sideways.
const longLine = `curl -sS --retry 5 --header "Authorization: Bearer $TOKEN" https://example.test/${'very-long-path-segment/'.repeat(8)}export.json | jq '.items[] | {id, name}'`;
const skillMd = (version: string, extra: string) => `---
name: ${slug}
description: Exports every record of the reporting warehouse as JSON and checks it against the schema. Use when a nightly export looks wrong.
metadata:
  version: "${version}"
  category: data
  tags: export, json
---

# Nightly export check

Run this first:

\`\`\`sh
${longLine}
\`\`\`

The file lands in \`${'reporting_warehouse_nightly_export_'.repeat(3)}final.json\`; see https://example.test/${'documentation/'.repeat(10)}index.html for the format.

| column | type | meaning |
| --- | --- | --- |
| ${'identifier_'.repeat(6)} | text | the record's stable identifier across every nightly export and every backfill |

${extra}
`;

async function publish(page: Page, version: string, extra: string): Promise<void> {
  await page.goto('/skills/new?mode=upload');
  await page.getByLabel('Skill archive (.zip or .tar.gz)').setInputFiles(packSkillTarGz(slug, { 'SKILL.md': skillMd(version, extra) }));
  await page.getByRole('button', { name: 'Publish upload' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${slug}\\?published=${version.replace(/\./g, '\\.')}`), { timeout: 30_000 });
}

/** Checks the page at each width, attaching a full-page screenshot at the three screenshot widths. */
async function checkLayout(page: Page, name: string): Promise<void> {
  const info = test.info();
  for (const width of CHECKED_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const header = page.getByTestId('site-header');
    await expect(header).toBeVisible();
    const box = await header.boundingBox();
    // One row: h-14 (56 px) and its bottom border.
    expect(box?.height, `${name} at ${width} px: the header wrapped`).toBeLessThanOrEqual(57);
    const tenantName = page.getByTestId('tenant-name');
    await expect(tenantName).toBeInViewport({ ratio: 1 });
    const nameFits = await tenantName.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(nameFits, `${name} at ${width} px: the workspace name is cut`).toBe(true);
    const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(widths.document, `${name} at ${width} px: the page scrolls sideways`).toBeLessThanOrEqual(widths.viewport);
    if (SCREENSHOT_WIDTHS.includes(width)) {
      await info.attach(`${name}-${width}`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    }
  }
}

test('signed out: home and sign-in', async ({ page }) => {
  await page.goto('/');
  await checkLayout(page, 'home-signed-out');
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/sign-in');
  await checkLayout(page, 'sign-in');
});

test.describe('signed in', () => {
  let state: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
  test.use({ storageState: async ({}, use) => use(state) });

  test.beforeAll(async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await devSignIn(page, 'ada@demo.test');
    await publish(page, '1.0.0', 'First version.');
    await publish(page, '1.1.0', 'Second version, with one more line.');
    // A key, so /profile/api-keys shows its (wide) key tables rather than "No keys yet".
    await page.goto('/profile/api-keys');
    await page.getByLabel('Name').fill(`layout check ${run}`);
    for (const scope of await page.getByRole('checkbox').all()) await scope.check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByTestId('new-key')).toBeVisible();
    state = await context.storageState();
    await context.close();
  });

  const pages: [string, string][] = [
    ['home', '/'],
    ['skills', '/skills'],
    ['search', `/search?q=${encodeURIComponent('nightly export')}`],
    ['skill', `/skills/${slug}`],
    ['skill-diff', `/skills/${slug}/diff?from=1.0.0&to=1.1.0`],
    ['publish', '/skills/new'],
    ['my-skills', '/my-skills'],
    ['reviews', '/reviews'],
    ['notifications', '/notifications'],
    ['api-keys', '/profile/api-keys'],
    ['admin-members', '/admin/members'],
    ['admin-search', '/admin/search'],
    ['admin-usage', '/admin/usage'],
  ];
  for (const [name, path] of pages) {
    test(`${name} fits from 360 to 1440 px`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // A signed-in person is not offered "Sign in" anywhere, the footer included.
      await expect(page.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
      await checkLayout(page, name);
      if (name === 'skill') {
        // The long line scrolls inside its block rather than widening the page.
        const code = page.getByRole('region', { name: 'Instructions' }).locator('pre');
        expect(await code.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      }
    });
  }
});
