import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';

// Search from the header to a skill, and "Similar skills" on a skill page once the embedding jobs
// (run by the server's job workers with the built-in embedder) have indexed what was published.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const run = Date.now().toString(36);
const first = `crashloop-debugger-${run}`;
const second = `crashloop-triage-${run}`;
const description = 'Debugs Kubernetes pods stuck in CrashLoopBackOff: reads kubectl describe, previous container logs and events, and names the cause.';
const body = '# Pod crash loop\n\n1. kubectl describe pod\n2. kubectl logs --previous\n3. kubectl get events\n4. Check liveness probes, OOMKilled and missing config maps.';

async function publishInEditor(page: Page, name: string, description: string, body: string): Promise<void> {
  await page.goto('/skills/new');
  await page.getByRole('textbox', { name: 'SKILL.md', exact: true }).fill(`---\nname: ${name}\ndescription: "${description}"\nmetadata:\n  category: devops\n  tags: kubernetes\n---\n\n${body}\n`);
  await expect(page.getByTestId('live-validation')).toContainText('SKILL.md is valid');
  await page.getByRole('button', { name: 'Publish skill' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${name}\\?published=`));
}

test('search from the header and open a result', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await publishInEditor(page, first, description, body);
  await publishInEditor(page, second, description.replace('Debugs', 'Triages'), `${body}\n5. Write down the fix.`);

  // Indexing runs as a job after publishing: search until the skill is found.
  await expect(async () => {
    await page.goto('/');
    const search = page.getByRole('banner').getByRole('searchbox', { name: 'Search skills' });
    await search.fill('CrashLoopBackOff pods');
    await search.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=CrashLoopBackOff\+pods$/);
    await expect(page.getByTestId('search-results').getByRole('link', { name: first })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
  await page.getByTestId('search-results').getByRole('link', { name: first }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${first}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first);
});

test('a skill page shows similar skills once they are indexed', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');

  await expect(async () => {
    await page.goto(`/skills/${first}`);
    await expect(page.getByTestId('similar-skills').getByRole('link', { name: second })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 3_000] });
  await page.getByTestId('similar-skills').getByRole('link', { name: second }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${second}$`));
  await expect(page.getByTestId('similar-skills').getByRole('link', { name: first })).toBeVisible();
});
