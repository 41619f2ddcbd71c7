import type { Request } from '@playwright/test';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';

// The portal's links prefetch the page behind them when the person shows intent (pointer over,
// focus), not as they scroll into view: a list page must not fetch every page it links to.

const isPrefetch = (request: Request) => {
  const headers = request.headers();
  return 'next-router-prefetch' in headers || 'next-router-segment-prefetch' in headers;
};

test('links prefetch on hover and focus, never on page load', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  const prefetched: string[] = [];
  page.on('request', (request) => {
    if (isPrefetch(request)) prefetched.push(new URL(request.url()).pathname);
  });

  for (const path of ['/', '/skills', '/search?q=review']) {
    await page.goto(path, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1_000); // Next prefetches visible links shortly after hydration
    expect(prefetched, `prefetches after loading ${path}`).toEqual([]);
  }

  const nav = page.getByRole('banner');
  await nav.getByRole('link', { name: 'My skills' }).hover();
  await expect.poll(() => prefetched).toContain('/my-skills');

  await nav.getByRole('link', { name: 'Skills', exact: true }).focus();
  await expect.poll(() => prefetched).toContain('/skills');

  // The hovered link still navigates.
  await nav.getByRole('link', { name: 'My skills' }).click();
  await expect(page).toHaveURL(/\/my-skills$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
