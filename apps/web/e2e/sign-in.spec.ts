import type { Browser, Page } from '@playwright/test';
import { expect, test } from './support/test';
import { startOidcProvider, type OidcIdentity, type OidcProvider } from './support/oidc-provider';
import { getWithHost, runStandaloneUntilExit } from './support/standalone';
import { pointAtUntil } from './support/point-at';

// Acceptance 1 of the identity issue: Google sign-in through a local OpenID Connect server (the
// real next-auth Google provider, pointed at it with AUTH_GOOGLE_ISSUER), tenant by email domain,
// clear refusals, and deactivation that ends a valid session at the next request.

const SESSION_COOKIE = 'authjs.session-token';
const alice: OidcIdentity = { email: 'alice@acme.test', hd: 'acme.test', name: 'Alice Acme' };
const bob: OidcIdentity = { email: 'bob@acme.test', hd: 'acme.test', name: 'Bob Acme' };
const carol: OidcIdentity = { email: 'carol@acme.test', hd: 'acme.test', name: 'Carol Acme' };

let oidc: OidcProvider;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  oidc = await startOidcProvider();
});
test.afterAll(async () => {
  await oidc?.stop();
});

async function signInWithGoogle(page: Page, identity: OidcIdentity): Promise<void> {
  oidc.signInAs(identity);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
}

async function signedInPage(browser: Browser, identity: OidcIdentity): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithGoogle(page, identity);
  await expect(page.getByTestId('signed-in-as')).toHaveText(identity.name!);
  return page;
}

test('alice@acme.test signs in with Google and lands in tenant acme, with an 8-hour HttpOnly Lax session', async ({ page, context, baseURL }) => {
  await signInWithGoogle(page, alice);
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Corp');
  await expect(page.getByTestId('tenant-brand')).toHaveText(/Acme Corp/);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Alice Acme');
  await expect(page.getByRole('heading', { name: 'Welcome, Alice Acme' })).toBeVisible();
  // The first person of acme is its admin.
  await expect(page.getByRole('banner').getByRole('link', { name: 'Admin', exact: true })).toBeVisible();

  const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', domain: 'localhost', path: '/' });
  const hoursLeft = (session!.expires * 1000 - Date.now()) / 3_600_000;
  expect(hoursLeft).toBeGreaterThan(7.9);
  expect(hoursLeft).toBeLessThanOrEqual(8);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name.startsWith(SESSION_COOKIE))).toBe(false);
});

test('mallory@unknown.test is refused with a clear page and no session', async ({ page, context }) => {
  await signInWithGoogle(page, { email: 'mallory@unknown.test', name: 'Mallory' });
  await expect(page).toHaveURL(/\/sign-in\/refused\?reason=no_workspace$/);
  await expect(page.getByRole('heading', { name: 'Your domain has no EverySkill workspace' })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name.startsWith(SESSION_COOKIE))).toBe(false);
});

test('an account whose Google Workspace (hd) differs from its email domain is refused', async ({ page }) => {
  await signInWithGoogle(page, { email: 'eve@acme.test', hd: 'evil.test', name: 'Eve' });
  await expect(page).toHaveURL(/\/sign-in\/refused\?reason=hosted_domain_mismatch$/);
  await expect(page.getByRole('heading', { name: "Your Google Workspace doesn't match your email address" })).toBeVisible();
});

test('the sign-in problem page explains known codes and falls back for any other value', async ({ page }) => {
  await page.goto('/sign-in/error?error=Verification');
  await expect(page.getByText('The sign-in link has expired or was already used.')).toBeVisible();
  for (const code of ['__proto__', 'constructor', 'NoSuchCode']) {
    const response = await page.goto(`/sign-in/error?error=${code}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByText('The sign-in did not complete. Please try again in a moment.')).toBeVisible();
  }
});

test('a deactivated person with a valid cookie is signed out at their next request', async ({ browser }) => {
  const admin = await signedInPage(browser, alice);
  const person = await signedInPage(browser, bob);
  const validCookie = (await person.context().cookies()).find((c) => c.name === SESSION_COOKIE)!;

  await admin.goto('/admin/members');
  const row = admin.getByTestId('member-bob@acme.test');
  await row.getByRole('button', { name: 'Deactivate Bob Acme (bob@acme.test)' }).click();
  await expect(row.getByRole('status')).toHaveText('Deactivated; they are signed out at their next request.');
  await expect(row.getByText('deactivated', { exact: true })).toBeVisible();

  await person.goto('/skills');
  await expect(person).toHaveURL(/\/account-deactivated$/);
  await expect(person.getByRole('heading', { name: 'Your account has been deactivated' })).toBeVisible();
  expect((await person.context().cookies()).some((c) => c.name.startsWith(SESSION_COOKIE))).toBe(false);
  await person.goto('/');
  await expect(person.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The server refuses the old cookie itself, not only the browser that dropped it.
  const replay = await (await browser.newContext()).newPage();
  await replay.context().addCookies([validCookie]);
  await replay.goto('/');
  await expect(replay).toHaveURL(/\/account-deactivated$/);
  // Signing in again is refused until an admin reactivates the account.
  await signInWithGoogle(person, bob);
  await expect(person).toHaveURL(/\/sign-in\/refused\?reason=account_deactivated$/);

  await admin.getByTestId('member-bob@acme.test').getByRole('button', { name: 'Reactivate Bob Acme (bob@acme.test)' }).click();
  await expect(admin.getByTestId('member-bob@acme.test').getByRole('status')).toHaveText('Reactivated; they can sign in again.');
  // The row says what its last change did, whichever of its forms that was.
  const bobRow = admin.getByTestId('member-bob@acme.test');
  await bobRow.getByRole('combobox', { name: 'Role of Bob Acme (bob@acme.test)' }).selectOption('reviewer');
  await bobRow.getByRole('button', { name: 'Save role of Bob Acme (bob@acme.test)' }).click();
  await expect(bobRow.getByRole('status')).toHaveText('Role changed to reviewer.');
  await signInWithGoogle(person, bob);
  await expect(person.getByTestId('signed-in-as')).toHaveText('Bob Acme');
});

test('a link prefetch that reaches the server after deactivation leaves the ending to the next navigation, which explains it', async ({ browser }) => {
  const admin = await signedInPage(browser, alice);
  const person = await (await browser.newContext()).newPage();
  // Hold the page's router requests (the prefetch of the link carol points at) until carol is deactivated,
  // as a slow network or a busy server would.
  const held: Array<() => void> = [];
  let holding = true;
  let answered = 0;
  await person.route(/[?&]_rsc=/, async (route) => {
    if (holding) await new Promise<void>((release) => held.push(release));
    await route.continue();
  });
  person.on('response', (response) => void (response.url().includes('_rsc=') && answered++));
  await signInWithGoogle(person, carol);
  await expect(person.getByTestId('signed-in-as')).toHaveText('Carol Acme');
  // Links prefetch when pointed at (components/ui/link.tsx): carol points at one.
  await pointAtUntil(person, person.getByRole('banner').getByRole('link', { name: 'My skills' }), () => held.length > 0);

  await admin.goto('/admin/members');
  const row = admin.getByTestId('member-carol@acme.test');
  await row.getByRole('button', { name: 'Deactivate Carol Acme (carol@acme.test)' }).click();
  await expect(row.getByRole('status')).toHaveText('Deactivated; they are signed out at their next request.');
  const prefetches = held.length;
  holding = false;
  held.forEach((release) => release());
  await expect.poll(() => answered).toBeGreaterThanOrEqual(prefetches);

  // The prefetches were no visit of carol's: her next navigation is, and it says why it ends.
  await person.getByRole('banner').getByRole('link', { name: 'Skills', exact: true }).click();
  await expect(person).toHaveURL(/\/account-deactivated$/);
  await expect(person.getByRole('heading', { name: 'Your account has been deactivated' })).toBeVisible();
  expect((await person.context().cookies()).some((c) => c.name.startsWith(SESSION_COOKIE))).toBe(false);
});

test("a person of acme on demo's host gets a 403 page, never demo's data", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, alice);
  const cookie = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)!;
  const { port } = new URL(baseURL!);
  const server = `http://127.0.0.1:${port}/skills`;
  const withSession = await getWithHost(server, `demo.localhost:${port}`, { cookie: `${cookie.name}=${cookie.value}` });
  expect(withSession.status).toBe(403);
  expect(withSession.body).toContain('This address belongs to another company');
  expect(withSession.body).toContain('Acme Corp');
  expect(withSession.body).not.toContain('Demo Company');
  // On its own tenant's host the same cookie is fine, and anonymous visitors see demo's public page.
  expect((await getWithHost(server, `acme.localhost:${port}`, { cookie: `${cookie.name}=${cookie.value}` })).status).toBe(200);
  expect((await getWithHost(`http://127.0.0.1:${port}/`, `demo.localhost:${port}`)).body).toContain('Demo Company');
});

test('a production server with the development sign-in switched on refuses to start', async () => {
  const result = await runStandaloneUntilExit({
    APP_ENV: 'production',
    APP_URL: 'https://skills.example.com',
    ROOT_DOMAIN: 'skills.example.com',
    AUTH_SECRET: 'x'.repeat(32),
    DATABASE_URL: 'postgres://app:pw@127.0.0.1:1/everyskill',
    AUTH_GOOGLE_ID: 'client-id',
    AUTH_GOOGLE_SECRET: 'client-secret',
    AUTH_DEV_SIGN_IN: 'on',
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^AUTH_DEV_SIGN_IN: must not be on when APP_ENV is production/m);
});
