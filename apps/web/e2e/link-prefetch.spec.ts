import type { Request } from '@playwright/test';
import { devSignIn } from './support/dev-sign-in';
import { pointAtUntil } from './support/point-at';
import { expect, test } from './support/test';

// The portal's links prefetch the page behind them when the person shows intent (pointer over,
// focus), not as they scroll into view: a list page must not fetch every page it links to.

const isPrefetch = (request: Request) => {
  const headers = request.headers();
  return 'next-router-prefetch' in headers || 'next-router-segment-prefetch' in headers;
};

test('links prefetch on hover and focus, never on page load', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  let prefetched: string[] = [];
  page.on('request', (request) => {
    if (isPrefetch(request)) prefetched.push(new URL(request.url()).pathname);
  });
  const nav = page.getByRole('banner');

  for (const path of ['/', '/skills', '/search?q=review']) {
    prefetched = [];
    await page.goto(path, { waitUntil: 'networkidle' });
    // Pointing at one link prefetches it, which proves the page hydrated (when Next would have
    // prefetched every visible link); by then only the pointed-at page may have been fetched.
    await pointAtUntil(page, nav.getByRole('link', { name: 'My skills' }), () => prefetched.includes('/my-skills'));
    await page.waitForLoadState('networkidle');
    expect([...new Set(prefetched)], `prefetches after loading ${path}`).toEqual(['/my-skills']);
  }

  await nav.getByRole('link', { name: 'Skills', exact: true }).focus();
  await expect.poll(() => prefetched).toContain('/skills');

  // The pointed-at link still navigates.
  await nav.getByRole('link', { name: 'My skills' }).click();
  await expect(page).toHaveURL(/\/my-skills$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
