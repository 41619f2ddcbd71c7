import type { Page } from '@playwright/test';

/**
 * Signs `email` in with the development sign-in (the suite's server runs with AUTH_DEV_SIGN_IN)
 * and waits until the browser has left /sign-in: for `to` when given, else wherever the sign-in
 * sends a person.
 */
export async function devSignIn(page: Page, email: string, to?: string): Promise<void> {
  await page.goto(to ? `/sign-in?callbackUrl=${encodeURIComponent(to)}` : '/sign-in');
  const form = page.getByTestId('development-sign-in');
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Sign in for development' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}
