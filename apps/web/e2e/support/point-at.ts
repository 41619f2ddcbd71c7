import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Points at `link` until `happened()` holds: the portal's links prefetch when pointed at, which
 * works only once the page has hydrated, so each try moves the pointer off the link and back (a
 * fresh mouseenter). On a loaded machine hydration can take seconds; 30 s is a bound, not a pace.
 */
export async function pointAtUntil(page: Page, link: Locator, happened: () => boolean): Promise<void> {
  await expect
    .poll(
      async () => {
        if (!happened()) {
          await page.mouse.move(0, 0);
          await link.hover();
        }
        return happened();
      },
      { timeout: 30_000, intervals: [250, 500, 1_000] },
    )
    .toBe(true);
}
