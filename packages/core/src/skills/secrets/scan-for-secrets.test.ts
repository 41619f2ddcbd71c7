// Fake secrets are assembled at run time from pieces, so this file holds nothing that looks like
// a credential to a repository scanner; the private keys are generated fresh each run.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCorpusSkills } from '../bundle/test-archives';
import { sanitizePayload } from './sanitize-payload';
import { scanForSecrets, type SecretFinding } from './scan-for-secrets';

const fake = {
  awsAccessKeyId: ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join(''),
  awsSecretAccessKey: ['Zx8kP2vQ9mN4bT7y', 'R1cL6hJ3fW5sD0gA', 'e2uXiOqK'].join(''),
  githubToken: ['gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6q7R8'].join(''),
  anthropicKey: ['sk', '-ant-', 'api03-', 'Xq7'.repeat(31), 'AA'].join(''),
  slackToken: ['xo', 'xb-', '123456789012-', '1234567890123-', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join(''),
  slackWebhook: ['https://hooks.', 'slack.com/services/', 'T0123ABCD/B0123ABCD/', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join(''),
  databaseUrl: ['postgres://', 'app_user:', 'Tr0ub4dor-3x', '@db.internal.acme.net:5432/app'].join(''),
  rsaKey: generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    .privateKey,
};

const skillMd = [
  '---', // 1
  'name: deploy-helper', // 2
  'description: Deploys the app. Use when asked to deploy.', // 3
  '---', // 4
  '# Deploy helper', // 5
  '', // 6
  `Set aws_access_key_id = ${fake.awsAccessKeyId}`, // 7
  `and aws_secret_access_key = ${fake.awsSecretAccessKey}`, // 8
  `Clone with ${fake.githubToken} as the password.`, // 9
  `export ANTHROPIC_API_KEY=${fake.anthropicKey}`, // 10
  'Then run it.', // 11
].join('\n');

const deploySh = [
  '#!/bin/sh', // 1
  'set -eu', // 2
  `SLACK_TOKEN="${fake.slackToken}"`, // 3
  `curl -X POST ${fake.slackWebhook} -d '{"text":"deployed"}'`, // 4
  `export DATABASE_URL="${fake.databaseUrl}"`, // 5
  "cat > /tmp/key.pem <<'EOF'", // 6
  fake.rsaKey.trimEnd(), // 7…
  'EOF',
].join('\n');

const text = (s: string) => new TextEncoder().encode(s);
const bundle = [
  { path: 'SKILL.md', bytes: text(skillMd), isText: true },
  { path: 'scripts/deploy.sh', bytes: text(deploySh), isText: true },
  { path: 'assets/logo.png', bytes: new Uint8Array([0x89, 0x50, 0, 0, ...text(fake.githubToken)]), isText: false },
];
const where = (findings: SecretFinding[]) => findings.map((f) => `${f.file}:${f.line} ${f.kind}`);

describe('scanForSecrets', () => {
  it('finds each kind of secret with its file and line', async () => {
    const findings = await scanForSecrets(bundle);
    expect(where(findings)).toEqual([
      'SKILL.md:7 AWSAccessKeyID',
      'SKILL.md:8 AWSSecretAccessKey',
      'SKILL.md:9 GITHUB_TOKEN',
      'SKILL.md:10 ANTHROPIC_API_KEY',
      'scripts/deploy.sh:3 SLACK_TOKEN',
      'scripts/deploy.sh:4 IncomingWebhook',
      'scripts/deploy.sh:5 PostgreSQLConnection',
      'scripts/deploy.sh:7 PrivateKey',
    ]);
    expect(findings.map((f) => f.ruleId.replace('@secretlint/secretlint-rule-', ''))).toEqual([
      'aws',
      'aws',
      'github',
      'anthropic',
      'slack',
      'slack',
      'database-connection-string',
      'privatekey',
    ]);
  });

  it('points the column at the secret itself (1-based), even where the rule reports the key name', async () => {
    const findings = await scanForSecrets(bundle);
    const lines = { 'SKILL.md': skillMd.split('\n'), 'scripts/deploy.sh': deploySh.split('\n') } as Record<string, string[]>;
    const secrets = [fake.awsAccessKeyId, fake.awsSecretAccessKey, fake.githubToken, fake.anthropicKey, fake.slackToken, fake.slackWebhook, fake.databaseUrl, '-----BEGIN'];
    findings.forEach((finding, i) => {
      const line = lines[finding.file]?.[finding.line - 1] ?? '';
      expect(line.slice(finding.column - 1).startsWith(secrets[i] ?? '?'), `${finding.kind} at ${finding.line}:${finding.column}`).toBe(true);
    });
  });

  it('never repeats the secret in its message', async () => {
    const findings = await scanForSecrets(bundle);
    for (const finding of findings) {
      for (const secret of Object.values(fake)) expect(finding.message).not.toContain(secret.slice(8, 30));
      expect(finding.message).toMatch(/^found .+ \(\d+ characters\)/);
    }
  });

  it('skips binary files and accepts plain text input', async () => {
    expect(await scanForSecrets([{ path: 'logo.png', bytes: new Uint8Array([0xff, 0xfe, ...text(fake.githubToken)]) }])).toEqual([]);
    expect(where(await scanForSecrets([{ path: 'notes.md', text: `x\n${fake.githubToken}` }]))).toEqual(['notes.md:2 GITHUB_TOKEN']);
  });

  it('finds secrets in text that is not UTF-8: UTF-16 with and without a byte-order mark, and Latin-1', async () => {
    const line = `# creds\r\n$env:GITHUB_TOKEN = "${fake.githubToken}"\r\n`;
    const utf16le = (s: string, bom: boolean) => new Uint8Array([...(bom ? [0xff, 0xfe] : []), ...Buffer.from(s, 'utf16le')]);
    const latin1 = new Uint8Array(Buffer.from(`# café\nAWS_ACCESS_KEY_ID=${fake.awsAccessKeyId}\naws_secret_access_key = ${fake.awsSecretAccessKey}\n`, 'latin1'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(latin1)).toThrow();
    const found = await scanForSecrets([
      { path: 'creds.ps1', bytes: utf16le(line, true), isText: false },
      { path: 'creds-nobom.txt', bytes: utf16le(line, false), isText: false },
      { path: '.env', bytes: latin1, isText: false },
    ]);
    expect(where(found)).toEqual(expect.arrayContaining(['creds.ps1:2 GITHUB_TOKEN', 'creds-nobom.txt:2 GITHUB_TOKEN']));
    expect(found.filter((f) => f.file === '.env').length).toBeGreaterThan(0);
    // Binary stays binary: NUL bytes without the UTF-16 pattern are not read as text.
    expect(await scanForSecrets([{ path: 'blob.bin', bytes: new Uint8Array([1, 0, 0, 7, 0, 0, 0, 9, ...text(fake.githubToken)]), isText: false }])).toEqual([]);
  });

  it('does not flag placeholders the rules treat as examples', async () => {
    const placeholders = [
      ['postgres://', 'user:pass', '@host/db'].join(''),
      ['postgres://', 'admin:password', '@localhost/app'].join(''),
      ['mysql://', 'root:${DB_PASSWORD}', '@db/app'].join(''),
      ['aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join(''),
      'Account: 123456789012',
    ];
    expect(await scanForSecrets([{ path: 'README.md', text: placeholders.join('\n') }])).toEqual([]);
  });

  it('finds nothing in the 481 public corpus skills', async () => {
    const skills = readCorpusSkills();
    expect(skills).toHaveLength(481);
    const findings = await scanForSecrets(skills.map((s) => ({ path: s.id, text: s.text })));
    expect(findings).toEqual([]);
  });
});

describe('sanitizePayload', () => {
  it('replaces each secret with a marker naming the rule and keeps the rest', async () => {
    const comment = `Worked with ${fake.githubToken} but ${fake.slackWebhook} failed; db ${fake.databaseUrl} ok.`;
    expect(await sanitizePayload(comment)).toBe('Worked with [REDACTED:github] but [REDACTED:slack] failed; db [REDACTED:database-connection-string] ok.');
  });

  it('removes the whole AWS secret although the rule reports the key name range', async () => {
    const snippet = `aws_secret_access_key = ${fake.awsSecretAccessKey}\nnext line`;
    const clean = await sanitizePayload(snippet);
    expect(clean).toBe('aws_secret_access_key = [REDACTED:aws]\nnext line');
  });

  it('redacts a whole private key and an Anthropic key', async () => {
    const clean = await sanitizePayload(`key:\n${fake.rsaKey}\nand ${fake.anthropicKey}.`);
    expect(clean).toBe('key:\n[REDACTED:privatekey]\n\nand [REDACTED:anthropic].');
  });

  it('leaves clean text alone and is idempotent', async () => {
    const clean = 'Great skill! It saved me an hour. postgres://user:pass@host/db is the example.';
    expect(await sanitizePayload(clean)).toBe(clean);
    expect(await sanitizePayload('')).toBe('');
    const once = await sanitizePayload(skillMd);
    expect(await sanitizePayload(once)).toBe(once);
    for (const secret of [fake.awsAccessKeyId, fake.awsSecretAccessKey, fake.githubToken, fake.anthropicKey]) expect(once).not.toContain(secret);
  });
});
