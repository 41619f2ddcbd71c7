// Acceptance 3: a bundle carrying a real-shaped secret — in SKILL.md or in a nested script — is
// refused by publishSkill, naming the file, the line and the secretlint rule, and nothing is stored.
// Secrets are assembled from pieces at run time so no literal credential sits in the repository;
// the private key is generated fresh on each run.
import { generateKeyPairSync } from 'node:crypto';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { writeZip } from '../src/skills/bundle/write-archive';
import { publishSkill } from '../src/skills/publish-skill';
import type { SecretFinding } from '../src/skills/secrets';
import { countSkillRows, createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillsCtx } from './skills-fixtures';

const privateKey = generateKeyPairSync('ec', {
  namedCurve: 'prime256v1',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey.trimEnd();

/** One line (or block) per kind of secret, and the secretlint rule that must name it. */
const SECRETS: { kind: string; rule: string; text: string }[] = [
  { kind: 'AWS', rule: 'aws', text: `aws_secret_access_key = ${['Zx8kP2vQ9mN4bT7y', 'R1cL6hJ3fW5sD0gA', 'e2uXiOqK'].join('')}` },
  { kind: 'GitHub', rule: 'github', text: `git clone https://${['gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8'].join('')}@github.com/acme/app.git` },
  { kind: 'Anthropic', rule: 'anthropic', text: `export ANTHROPIC_API_KEY=${['sk', '-ant-', 'api03-', 'Xq7'.repeat(31), 'AA'].join('')}` },
  { kind: 'Slack', rule: 'slack', text: `SLACK_TOKEN=${['xo', 'xb-', '123456789012-', '1234567890123-', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join('')}` },
  { kind: 'private key', rule: 'privatekey', text: privateKey },
  { kind: 'database URL', rule: 'database-connection-string', text: `DATABASE_URL=${['postgres://', 'app_user:', 'Tr0ub4dor-3x', '@db.internal.acme.net:5432/app'].join('')}` },
];

const SKILL_HEAD = ['---', 'name: deploy-helper', 'description: Deploys the app. Use when asked to deploy.', '---', '# Deploy helper', '', 'Steps:'];
const SCRIPT_HEAD = ['#!/bin/sh', 'set -eu', 'echo "deploying"'];
const encode = (s: string) => new TextEncoder().encode(s);

let dbs: TestDatabases;
beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

async function expectRefused(files: { path: string; text: string }[], file: string, line: number, rule: string) {
  const tenant = await createSkillsTenant(dbs);
  const blobs = new MemoryBlobStore();
  const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
  const bytes = writeZip(files.map((f) => ({ path: `deploy-helper/${f.path}`, bytes: encode(f.text) })));
  const error = await publishSkill(ctx, { source: { kind: 'archive', fileName: 'deploy-helper.zip', bytes } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('invalid_input');
  const findings = (appError.details as { secrets: SecretFinding[] }).secrets;
  expect(findings).toContainEqual(expect.objectContaining({ file, line, ruleId: `@secretlint/secretlint-rule-${rule}` }));
  expect(appError.message).toContain(`${file} line ${line} (${rule}`);
  expect(blobs.puts).toBe(0);
  expect(await countSkillRows(dbs, tenant.tenantId)).toMatchObject({ skills: 0, versions: 0, audit: 0 });
}

describe(`publishing refuses secrets (${mode})`, () => {
  for (const secret of SECRETS) {
    it(`${secret.kind} in SKILL.md`, async () => {
      const skillMd = [...SKILL_HEAD, secret.text, 'Done.'].join('\n');
      await expectRefused([{ path: 'SKILL.md', text: skillMd }], 'SKILL.md', SKILL_HEAD.length + 1, secret.rule);
    });

    it(`${secret.kind} in a nested script`, async () => {
      const skillMd = [...SKILL_HEAD, 'Run scripts/tools/deploy.sh.'].join('\n');
      const script = [...SCRIPT_HEAD, secret.text, 'echo done'].join('\n');
      await expectRefused(
        [
          { path: 'SKILL.md', text: skillMd },
          { path: 'scripts/tools/deploy.sh', text: script },
        ],
        'scripts/tools/deploy.sh',
        SCRIPT_HEAD.length + 1,
        secret.rule,
      );
    });
  }

  it('a secret in the release notes is refused too: notes are shown to every reader', async () => {
    const tenant = await createSkillsTenant(dbs);
    const blobs = new MemoryBlobStore();
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, blobs);
    const skillMd = [...SKILL_HEAD, 'Done.'].join('\n');
    const error = (await publishSkill(ctx, { source: { kind: 'skill-md', skillMd }, notes: `Rotated.\n${SECRETS[1]!.text}` }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('invalid_input');
    expect((error.details as { secrets: SecretFinding[] }).secrets).toContainEqual(expect.objectContaining({ file: '(release notes)', line: 2 }));
    expect(blobs.puts).toBe(0);
    await expect(publishSkill(ctx, { source: { kind: 'skill-md', skillMd }, notes: 'Rotated the credentials.' })).resolves.toMatchObject({ created: true });
  });

  it('names every finding when there are several', async () => {
    const tenant = await createSkillsTenant(dbs);
    const ctx = skillsCtx(dbs.app.db, tenant.tenantId, tenant.author, new MemoryBlobStore());
    const skillMd = [...SKILL_HEAD, ...SECRETS.map((s) => s.text)].join('\n');
    const error = (await publishSkill(ctx, { source: { kind: 'skill-md', skillMd } }).catch((e: unknown) => e)) as AppError;
    const rules = new Set((error.details as { secrets: SecretFinding[] }).secrets.map((f) => f.ruleId.replace('@secretlint/secretlint-rule-', '')));
    for (const secret of SECRETS) expect(rules).toContain(secret.rule);
    expect(error.message).toMatch(/^publishing refused: \d+ secrets found/);
  });
});
