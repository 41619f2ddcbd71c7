import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { expect, test } from './support/test';
import { devSignIn } from './support/dev-sign-in';
import { packSkillTarGz } from './support/skill-archive';

// The skills portal against the suite's server (demo tenant): publish by upload and in the editor,
// browse, open, rate, give feedback, publish a version, compare versions, fork, manage.

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const run = Date.now().toString(36);
const uploaded = `e2e-upload-${run}`;
const written = `e2e-editor-${run}`;

const skillMd = (name: string, version: string, body: string) => `---
name: ${name}
description: Checks a pull request's Terraform plan for destroyed resources and explains each one. Use when reviewing infrastructure changes.
metadata:
  version: "${version}"
  category: devops
  tags: terraform, review
---

${body}
`;

const uploadedSkillMd = skillMd(
  uploaded,
  '1.0.0',
  [
    '# Terraform plan check',
    '',
    'Run **scripts/plan.sh** and read `plan.json`.',
    '',
    '<img src=x onerror="window.__injected = true">',
    '',
    '[bad link](javascript:window.__injected=true)',
  ].join('\n'),
);

test('signed out, /skills asks to sign in', async ({ page }) => {
  await page.goto('/skills');
  await expect(page.getByRole('heading', { name: "Sign in to see your company's skills" })).toBeVisible();
  await expect(page.getByTestId('skill-list')).toHaveCount(0);
});

test('publish by upload: the archive becomes a skill with its files, rendered safely', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  const archive = packSkillTarGz(uploaded, {
    'SKILL.md': uploadedSkillMd,
    'scripts/plan.sh': '#!/bin/sh\n# prints the plan as JSON\nterraform show -json plan.out > plan.json\n',
  });
  await page.goto('/skills/new');
  await page.getByRole('link', { name: 'Upload .zip / .tar.gz' }).click();
  await page.getByLabel('Skill archive (.zip or .tar.gz)').setInputFiles(archive);
  await page.getByRole('button', { name: 'Publish upload' }).click();

  await expect(page).toHaveURL(new RegExp(`/skills/${uploaded}\\?published=1\\.0\\.0`));
  await expect(page.getByRole('status').filter({ hasText: 'Published version 1.0.0.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(uploaded);
  const instructions = page.getByRole('region', { name: 'Instructions' });
  await expect(instructions.getByRole('heading', { name: 'Terraform plan check' })).toBeVisible();
  await expect(instructions.locator('strong')).toHaveText('scripts/plan.sh');
  // Raw HTML is text, and a javascript: link is no link.
  await expect(instructions.getByText('<img src=x onerror="window.__injected = true">')).toBeVisible();
  await expect(instructions.locator('img')).toHaveCount(0);
  await expect(instructions.getByRole('link', { name: 'bad link' })).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();

  await page.getByTestId('file-tree').getByRole('link', { name: /plan\.sh/ }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${uploaded}/files\\?path=scripts%2Fplan\\.sh`));
  await expect(page.getByTestId('file-content')).toContainText('terraform show -json plan.out > plan.json');
});

test('an archive of several megabytes is published; one over the limit is refused before it is sent', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  const name = `e2e-large-${run}`;
  // Random bytes do not compress: the archive weighs about what the file does.
  const big = packSkillTarGz(name, {
    'SKILL.md': skillMd(name, '1.0.0', '# Large model weights\n\nLoad `assets/weights.bin`.'),
    'assets/weights.bin': randomBytes(8 * 1024 * 1024),
  });
  expect(statSync(big).size).toBeGreaterThan(8 * 1024 * 1024);
  await page.goto('/skills/new?mode=upload');
  const input = page.getByLabel('Skill archive (.zip or .tar.gz)');
  await input.setInputFiles(big);
  await page.getByRole('button', { name: 'Publish upload' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${name}\\?published=1\\.0\\.0`));
  await expect(page.getByTestId('file-tree')).toContainText('weights.bin');

  const tooBig = packSkillTarGz(`${name}-x`, {
    'SKILL.md': skillMd(`${name}-x`, '1.0.0', '# Too large'),
    'assets/weights.bin': randomBytes(11 * 1024 * 1024),
  });
  await page.goto('/skills/new?mode=upload');
  await input.setInputFiles(tooBig);
  expect(await input.evaluate((el: HTMLInputElement) => el.validationMessage)).toMatch(/is 11\.\d MiB; an archive may be at most 10 MiB/);
  await page.getByRole('button', { name: 'Publish upload' }).click();
  await expect(page).toHaveURL(/\/skills\/new\?mode=upload$/);
});

test('the editor validates as you type, fills fields from the frontmatter and refuses secrets', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.goto('/skills/new');
  const editor = page.getByRole('textbox', { name: 'SKILL.md', exact: true });
  const live = page.getByTestId('live-validation');
  const publish = page.getByRole('button', { name: 'Publish skill' });

  await editor.fill(skillMd('Not A Valid Name', '1.0.0', '# x'));
  await expect(live.locator('[data-field="name"]')).toContainText('name');
  await expect(publish).toBeDisabled();

  await editor.fill('no frontmatter at all');
  await expect(live.locator('[data-field="frontmatter"]')).toBeVisible();

  // A GitHub token in the instructions: valid SKILL.md, refused by the secret scan.
  const token = ['gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8'].join('');
  await editor.fill(skillMd(written, '1.0.0', `# Deploy\n\nClone with ${token} as the password.`));
  await expect(live).toContainText('SKILL.md is valid');
  await expect(page.getByTestId('detected-name')).toHaveText(written);
  await expect(page.getByTestId('detected-version')).toHaveText('1.0.0');
  await expect(page.getByLabel('Category')).toHaveValue('devops');
  await expect(page.getByLabel('Tags')).toHaveValue('terraform, review');
  await publish.click();
  const secrets = page.getByTestId('publish-secrets');
  await expect(secrets).toContainText('SKILL.md');
  await expect(secrets.getByRole('row').nth(1)).toContainText('12'); // the line of the token
  await expect(secrets).toContainText('github');
  await expect(page.getByTestId('publish-error')).not.toContainText(token.slice(4));
});

test('publish by editor, see it in browse, open it, rate it and leave feedback', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.goto('/skills/new');
  await page.getByRole('textbox', { name: 'SKILL.md', exact: true }).fill(skillMd(written, '1.0.0', '# Plan review\n\n- Read the plan\n- List destroyed resources'));
  await expect(page.getByLabel('Category')).toHaveValue('devops');
  await page.getByLabel('Category').selectOption('security');
  await page.getByLabel('Tags').fill('terraform, review, e2e');
  await page.getByRole('button', { name: 'Publish skill' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${written}\\?published=1\\.0\\.0`));

  // Browse: both skills, then filters by category, tag and author, and a sort.
  await page.getByRole('banner').getByRole('link', { name: 'Skills', exact: true }).click();
  await expect(page).toHaveURL(/\/skills$/);
  await expect(page.getByTestId(`skill-card-${uploaded}`)).toBeVisible();
  await expect(page.getByTestId(`skill-card-${written}`)).toBeVisible();
  const filters = page.getByRole('form', { name: 'Filter skills' });
  await filters.getByLabel('Category').selectOption('devops');
  await filters.getByLabel('Sort by').selectOption('newest');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/category=devops/);
  await expect(page).toHaveURL(/sort=newest/);
  await expect(page.getByTestId(`skill-card-${uploaded}`)).toBeVisible();
  await expect(page.getByTestId(`skill-card-${written}`)).toHaveCount(0);
  await page.goto('/skills?tag=no-such-tag-anywhere');
  await expect(page.getByRole('heading', { name: 'No skills match these filters' })).toBeVisible();
  await page.goto('/skills');
  const author = page.getByRole('form', { name: 'Filter skills' }).getByLabel('Author');
  await author.selectOption((await author.locator('option', { hasText: 'Max Member' }).getAttribute('value')) ?? '');
  await page.getByRole('form', { name: 'Filter skills' }).getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/author=/);
  await expect(page.getByTestId(`skill-card-${uploaded}`)).toBeVisible();

  await page.goto('/skills?sort=newest&tag=e2e');
  const card = page.getByTestId(`skill-card-${written}`);
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: written }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${written}$`));
  await expect(page.getByTestId('rating-summary')).toHaveText('not rated yet');

  const rating = page.getByRole('form', { name: 'Your rating' });
  await rating.getByRole('radio', { name: '4 stars' }).check({ force: true });
  await rating.getByLabel('Comment (optional)').fill('Caught a destroyed bucket.');
  await rating.getByRole('button', { name: 'Save rating' }).click();
  await expect(rating.getByRole('status')).toHaveText('Your rating is saved: 4 of 5.');
  await page.reload();
  await expect(page.getByTestId('rating-summary')).toHaveText('4.0 / 5 (1)');
  await expect(page.getByTestId('ratings')).toContainText('Caught a destroyed bucket.');
  // One rating per person: changing it replaces it.
  await page.getByRole('form', { name: 'Your rating' }).getByRole('radio', { name: '5 stars' }).check({ force: true });
  await page.getByRole('form', { name: 'Your rating' }).getByRole('button', { name: 'Update rating' }).click();
  await expect(page.getByRole('form', { name: 'Your rating' }).getByRole('status')).toHaveText('Your rating is saved: 5 of 5.');
  await page.reload();
  await expect(page.getByTestId('rating-summary')).toHaveText('5.0 / 5 (1)');

  await page.getByRole('button', { name: 'Thumbs up' }).click();
  await expect(page.getByRole('form', { name: 'Was this skill useful?' }).getByRole('status')).toHaveText('Thanks for the feedback.');
  const written2 = page.getByRole('form', { name: 'Suggestion or bug report' });
  await written2.getByLabel('Kind').selectOption('bug_report');
  await written2.getByLabel('What did you find?').fill('It misses resources replaced in place.');
  await written2.getByRole('button', { name: 'Send feedback' }).click();
  await expect(written2.getByRole('status')).toHaveText('Bug report sent to the author.');
  await page.reload();
  await expect(page.getByTestId('feedback-summary')).toHaveText('1 of 1');
  await expect(page.getByTestId('feedback-list')).toContainText('It misses resources replaced in place.');
  await expect(page.getByTestId('feedback-list')).toContainText('Bug report on 1.0.0');

  // Following puts the skill's new versions in the person's notifications and digest.
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await page.getByRole('button', { name: 'Following' }).click();
  await expect(page.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'false');
});

test('edit publishes a second version and the diff shows what changed', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.goto(`/skills/${written}`);
  await page.getByRole('link', { name: 'Edit (new version)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`New version of ${written}`);
  const editor = page.getByRole('textbox', { name: 'SKILL.md', exact: true });
  await expect(editor).toHaveValue(/version: "1\.0\.0"/);
  // The name of an existing skill cannot change here.
  await editor.fill(skillMd(`${written}-renamed`, '1.1.0', '# x'));
  await expect(page.getByTestId('live-validation').locator('[data-field="name"]')).toBeVisible();
  await editor.fill(skillMd(written, '1.1.0', '# Plan review\n\n- Read the plan\n- List destroyed resources\n- Flag replaced resources too'));
  await page.getByRole('form', { name: 'Skill editor' }).getByLabel('What changed in this version').fill('Flags replacements.');
  await page.getByRole('button', { name: 'Publish new version' }).click();

  await expect(page).toHaveURL(new RegExp(`/skills/${written}\\?published=1\\.1\\.0`));
  await expect(page.getByTestId('latest-version')).toHaveText('v1.1.0');
  const versions = page.getByTestId('versions');
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await expect(versions).toContainText('Flags replacements.');

  const compare = page.getByRole('form', { name: 'Compare versions' });
  await expect(compare.getByLabel('From')).toHaveValue('1.0.0');
  await expect(compare.getByLabel('To')).toHaveValue('1.1.0');
  await compare.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${written}/diff\\?from=1\\.0\\.0&to=1\\.1\\.0`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('1.0.0 → 1.1.0');
  const diff = page.getByTestId('skill-md-diff');
  await expect(diff).toContainText('+- Flag replaced resources too');
  await expect(diff).toContainText('-  version: "1.0.0"');
  await expect(diff).toContainText('+  version: "1.1.0"');
});

test('restoring an earlier version publishes its files as the new latest, its pinned version moved on', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.goto(`/skills/${written}`);
  const versions = page.getByTestId('versions');
  // The latest version has nothing to restore.
  await expect(versions.getByRole('button', { name: 'Restore version 1.1.0' })).toHaveCount(0);
  await versions.getByRole('button', { name: 'Restore version 1.0.0' }).click();
  await expect(versions).toContainText('Publish the files of 1.0.0 as a new version after 1.1.0?');
  await versions.getByRole('button', { name: 'Yes, restore 1.0.0' }).click();

  await expect(page).toHaveURL(new RegExp(`/skills/${written}\\?published=1\\.1\\.1`));
  await expect(page.getByTestId('latest-version')).toHaveText('v1.1.1');
  await expect(versions.getByRole('listitem')).toHaveCount(3);
  await expect(versions.getByRole('listitem').first()).toContainText('restores version 1.0.0');
  // 1.0.0 and its restoration differ only in the version they name.
  await page.goto(`/skills/${written}/diff?from=1.0.0&to=1.1.1`);
  const diff = page.getByTestId('skill-md-diff');
  await expect(diff).toContainText('-  version: "1.0.0"');
  await expect(diff).toContainText('+  version: "1.1.1"');
  await expect(diff).not.toContainText('Flag replaced resources too');
});

test('downloading the zip counts an install; the usage chart shows it', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  await page.goto(`/skills/${uploaded}`);
  await expect(page.getByTestId('installs-count')).toHaveText('0');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download .zip' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${uploaded}-1.0.0.zip`);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  await page.reload();
  await expect(page.getByTestId('installs-count')).toHaveText('1');
  await expect(page.getByTestId('usage-chart')).toContainText('1 installs');
  await expect(page.getByTestId('install-claude-code')).toContainText('~/.claude/skills/');
});

test('a near-copy of an existing skill is flagged and can become a variation', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  const copyName = `${uploaded}-copy`;
  await page.goto('/skills/new');
  await page.getByRole('textbox', { name: 'SKILL.md', exact: true }).fill(uploadedSkillMd.replace(`name: ${uploaded}`, `name: ${copyName}`));
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toContainText(`This looks like ${uploaded}`, { timeout: 15_000 });
  const create = page.getByTestId('create-variation');
  await expect(create.getByLabel('Name of the variation')).toHaveValue(copyName);
  await create.getByRole('button', { name: 'Create as a variation' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${copyName}/edit\\?draft=1`));
  await expect(page.getByText(`Your draft is loaded with its name set to ${copyName}`)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'SKILL.md', exact: true })).toHaveValue(new RegExp(`name: ${copyName}`));
  await page.goto(`/skills/${copyName}`);
  await expect(page.getByTestId('fork-lineage')).toContainText(`Variation of ${uploaded} 1.0.0`);
});

test('an uploaded near-copy is published, and its page says which skill it looks like', async ({ page }) => {
  await devSignIn(page, 'max@demo.test');
  const twin = `${uploaded}-twin`;
  const archive = packSkillTarGz(twin, { 'SKILL.md': uploadedSkillMd.replace(`name: ${uploaded}`, `name: ${twin}`) });
  await page.goto('/skills/new');
  await page.getByRole('link', { name: 'Upload .zip / .tar.gz' }).click();
  await page.getByLabel('Skill archive (.zip or .tar.gz)').setInputFiles(archive);
  await page.getByRole('button', { name: 'Publish upload' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${twin}\\?published=1\\.0\\.0&check=duplicates`));
  const notice = page.getByTestId('duplicate-notice');
  await expect(notice).toContainText(`This looks like ${uploaded}`);
  await expect(notice.getByRole('link')).not.toHaveAttribute('href', `/skills/${twin}`);
  // The notice belongs to the moment of publishing, not to every later visit.
  await page.goto(`/skills/${twin}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(twin);
  await expect(page.getByTestId('duplicate-notice')).toHaveCount(0);
});

test('a variation remembers its original; the author manages visibility and deletes', async ({ page, browser }) => {
  // Ada (not the author) makes a variation of Max's skill.
  await devSignIn(page, 'ada@demo.test');
  await page.goto(`/skills/${uploaded}`);
  const variation = page.getByRole('form', { name: `Create a variation of ${uploaded}` });
  await variation.getByLabel('Name of the variation').fill(`${uploaded}-ada`);
  await variation.getByRole('button', { name: 'Create a variation' }).click();
  await expect(page).toHaveURL(new RegExp(`/skills/${uploaded}-ada\\?forked=1`));
  await expect(page.getByTestId('fork-lineage')).toContainText(`Variation of ${uploaded} 1.0.0`);
  await expect(page.getByTestId('fork-lineage')).toContainText('Up to date with the original.');

  const max = await (await browser.newContext()).newPage();
  await devSignIn(max, 'max@demo.test');
  await max.goto(`/skills/${written}`);
  const manage = max.getByRole('region', { name: 'Manage' });
  await manage.getByLabel('Visibility').selectOption('private');
  await manage.getByRole('button', { name: 'Save visibility' }).click();
  await expect(manage.getByRole('status')).toHaveText('Visibility set to private.');
  await max.goto('/my-skills');
  await expect(max.getByTestId(`skill-card-${written}`)).toContainText('private');
  await expect(max.getByTestId(`skill-card-${uploaded}`)).toBeVisible();

  // Private: Ada no longer sees it in browse.
  await page.goto('/skills?sort=newest&tag=e2e');
  await expect(page.getByTestId(`skill-card-${written}`)).toHaveCount(0);

  await max.goto(`/skills/${written}`);
  await max.getByRole('button', { name: 'Delete skill…' }).click();
  await max.getByRole('button', { name: `Yes, delete ${written}` }).click();
  await expect(max).toHaveURL(/\/my-skills\?deleted=/);
  await expect(max.getByRole('status').filter({ hasText: 'Deleted' })).toHaveText(`Deleted ${written}.`);
  await expect(max.getByTestId(`skill-card-${written}`)).toHaveCount(0);
  expect((await max.goto(`/skills/${written}`))?.status()).toBe(404);
});
