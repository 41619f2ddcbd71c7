import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from './support/test';
import { SAFETY_REVIEW_PROMPT_MARKER } from '@everyskill/ai';
import { defaultResponder, startMessagesApiStandIn, type MessagesApiStandIn } from '@everyskill/ai/testing';
import { standaloneServer } from './support/paths';
import { prepareDatabase } from './support/prepare-database';
import { isolatedEnv } from './support/server-env';
import { freePort } from './support/standalone';

// AI review, the approval workflow and benchmarks, on a server of their own with AI switched on:
// the real Anthropic SDK inside the built app talks to a local Messages API stand-in.

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let standIn: MessagesApiStandIn;
let server: ChildProcess;
let baseURL: string;
let dataDir: string;
let output = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  standIn = await startMessagesApiStandIn();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'everyskill-e2e-reviews-'));
  const port = await freePort();
  baseURL = `http://localhost:${port}`;
  const env = isolatedEnv({
    APP_ENV: 'test',
    APP_URL: baseURL,
    ROOT_DOMAIN: 'localhost',
    DEV_TENANT_SLUG: 'demo',
    AUTH_DEV_SIGN_IN: 'on',
    LOG_LEVEL: 'warn',
    EVERYSKILL_DATA_DIR: dataDir,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    ANTHROPIC_API_KEY: 'sk-e2e-stand-in',
    ANTHROPIC_BASE_URL: standIn.baseURL,
    ANTHROPIC_MAX_RETRIES: '0',
    AI_RETRY_DELAY_SECONDS: '1',
    JOBS_POLL_INTERVAL_MS: '200',
  });
  await prepareDatabase(env);
  server = spawn(process.execPath, [standaloneServer], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    const ok = await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  }
  await standIn?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/sign-in');
  const form = page.getByTestId('development-sign-in');
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Sign in for development' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  return page;
}

const SKILL_MD = `---
name: release-notes
description: Writes release notes from a list of changes, grouped by component.
---

# Release notes

Group the changes by component.
`;

test('approval workflow: submit → AI review → changes requested → revised → approved and published', async ({ browser }) => {
  const ada = await signedIn(browser, 'ada@demo.test');
  await ada.goto('/admin/reviews');
  await expect(ada.getByTestId('ai-status')).toHaveText('on');
  await ada.getByLabel(/After approval/).check();
  await ada.getByRole('button', { name: 'Save review settings' }).click();
  await expect(ada.getByRole('status').filter({ hasText: 'published after approval' })).toBeVisible();

  const max = await signedIn(browser, 'max@demo.test');
  await max.goto('/reviews');
  await max.getByRole('link', { name: 'Submit a skill for review' }).click();
  // A refused submission keeps what was typed, for the author to correct.
  const withoutDescription = SKILL_MD.replace(/^description:.*\n/m, '');
  await max.getByLabel('SKILL.md').fill(withoutDescription);
  await max.getByLabel('Notes for the reviewer').fill('First version.');
  await max.getByRole('button', { name: 'Submit for review' }).click();
  await expect(max.getByRole('alert').filter({ hasText: 'SKILL.md is not valid' })).toContainText('description is required');
  await expect(max.getByLabel('SKILL.md')).toHaveValue(withoutDescription);
  await expect(max.getByLabel('Notes for the reviewer')).toHaveValue('First version.');
  await max.getByLabel('SKILL.md').fill(SKILL_MD);
  await max.getByRole('button', { name: 'Submit for review' }).click();
  await max.waitForURL(/\/reviews\/[0-9a-f-]{36}$/);
  const submissionUrl = max.url();
  await expect(max.getByTestId('submission-status')).toHaveText('in review');
  // Claude's review appears on its own (the page refreshes while the job runs).
  await expect(max.getByTestId('ai-score-quality')).toHaveText('7/10', { timeout: 20_000 });

  await ada.goto('/reviews');
  const queued = ada.getByTestId('review-queue').getByRole('listitem').filter({ hasText: 'release-notes' });
  await expect(queued.getByTestId('ai-scores')).toContainText('Quality 7/10');
  await queued.getByRole('link', { name: 'release-notes' }).click();
  await ada.getByLabel('Comment for the author').fill('Mention how breaking changes are marked.');
  await ada.getByRole('button', { name: 'Request changes' }).click();
  // The decision form gives way to the outcome: status and history.
  await expect(ada.getByTestId('submission-status')).toHaveText('changes requested');
  await expect(ada.getByTestId('review-history')).toContainText('ada@demo.test requested changes (revision 1)');

  await max.goto('/reviews');
  await expect(max.getByTestId('review-notifications')).toContainText('Mention how breaking changes are marked.');
  await max.goto(submissionUrl);
  await max.getByLabel('SKILL.md').fill(`${SKILL_MD}\nMark breaking changes with **BREAKING**.\n`);
  await max.getByRole('button', { name: 'Submit revision' }).click();
  await expect(max.getByTestId('submission-status')).toHaveText('in review');
  await expect(max.getByTestId('diff-to-previous')).toContainText('+Mark breaking changes with **BREAKING**.');

  await ada.goto(submissionUrl);
  await expect(ada.getByTestId('ai-score-clarity')).toHaveText('8/10', { timeout: 20_000 });
  await ada.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(ada.getByTestId('submission-status')).toHaveText('approved');
  await expect(ada.getByTestId('published-as')).toHaveText('Published as release-notes 1.0.0.');

  await max.goto(submissionUrl);
  await expect(max.getByTestId('review-history').getByRole('listitem')).toHaveText([
    /max@demo.test submitted \(revision 1\)/,
    /ada@demo.test requested changes \(revision 1\)/,
    /max@demo.test revised \(revision 2\)/,
    /ada@demo.test approved \(revision 2\)/,
  ]);
});

test('the published skill: its AI review appears, and a benchmark shows a table and a chart', async ({ browser }) => {
  const max = await signedIn(browser, 'max@demo.test');
  await max.goto('/skills/release-notes/ai-review');
  await max.getByRole('button', { name: 'Review again' }).click();
  await expect(max.getByTestId('ai-review-status')).toHaveText('completed', { timeout: 20_000 });
  await expect(max.getByTestId('ai-score-completeness')).toHaveText('6/10');
  await expect(max.getByTestId('ai-review-summary')).not.toBeEmpty();

  await max.goto('/skills/release-notes/benchmark');
  await max.getByLabel('What the agent is asked').fill('Write release notes for: fixed login; faster search.');
  await max.getByLabel('Expected outcome').fill('Two bullet points grouped by component.');
  await max.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(max.getByTestId('benchmark-status')).toHaveText('completed', { timeout: 30_000 });
  const table = max.getByTestId('benchmark-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tr[data-model="claude-sonnet-5-5"] [data-testid="score-with"]')).toHaveText('90');
  await expect(table.locator('tr[data-model="claude-sonnet-5-5"] [data-testid="score-without"]')).toHaveText('65');
  await expect(max.getByTestId('benchmark-chart')).toBeVisible();
  await expect(max.getByTestId('benchmark-chart').locator('rect')).toHaveCount(4);
  await expect(max.getByTestId('benchmark-run')).toContainText('best: claude-sonnet-5-5');
  await expect(max.getByTestId('benchmark-run')).toContainText('cheapest: claude-haiku-5-5');
});

test('an admin asks Claude for a safety second opinion on the skill’s page; the result shows there, to members too', async ({ browser }) => {
  const opinion = { verdict: 'warn', findings: [{ file: 'SKILL.md', line: 8, severity: 'warn', message: 'Groups every change, private ones included.' }], summary: 'Writes release notes; one thing to check.' };
  standIn.respondWith((request, index) => (request.system.includes(SAFETY_REVIEW_PROMPT_MARKER) ? { text: JSON.stringify(opinion) } : defaultResponder(request, index)));
  try {
    const max = await signedIn(browser, 'max@demo.test');
    await max.goto('/skills/release-notes');
    await expect(max.getByTestId('version-safety')).toHaveAttribute('data-verdict', 'clean');
    // The control is an admin's.
    await expect(max.getByTestId('safety-second-opinion')).toHaveCount(0);

    const ada = await signedIn(browser, 'ada@demo.test');
    await ada.goto('/skills/release-notes');
    const control = ada.getByTestId('safety-second-opinion');
    await expect(control).toHaveAttribute('data-state', 'none');
    await control.getByRole('button', { name: 'Ask Claude for a second opinion' }).click();
    await expect(control.getByRole('status')).toHaveText('Asked Claude for a second opinion on release-notes 1.0.0; it appears here when done.');
    // The job runs in the background; the page refreshes itself until the opinion is in.
    await expect(ada.getByTestId('safety-second-opinion-summary')).toHaveText("Claude's second opinion (warn): Writes release notes; one thing to check.", { timeout: 30_000 });
    await expect(control).toHaveAttribute('data-state', 'done');
    await expect(control.getByRole('button', { name: 'Ask Claude for a second opinion' })).toHaveCount(0);
    // It raised the verdict with a located finding, and the request is in the safety history.
    await expect(ada.getByTestId('version-safety')).toHaveAttribute('data-verdict', 'warn');
    await expect(ada.getByTestId('safety-finding').filter({ hasText: 'claude-second-opinion' })).toContainText('SKILL.md line 8');
    await expect(ada.getByTestId('safety-history')).toContainText("ada@demo.test asked for Claude's second opinion (version 1.0.0)");

    // Claude was asked once, with the skill's files as delimited data.
    const asked = standIn.requests.filter((r) => r.system.includes(SAFETY_REVIEW_PROMPT_MARKER));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.prompt).toMatch(/<skill_document>[\s\S]*Group the changes by component\.[\s\S]*<\/skill_document>/);

    await max.reload();
    await expect(max.getByTestId('safety-second-opinion-summary')).toContainText('Writes release notes; one thing to check.');
  } finally {
    standIn.respondWith(defaultResponder);
  }
});
