// docs/provenance.md's "Verify by hand" block, run as written (bash, jq, openssl, coreutils, unzip)
// against a real publish: it accepts the genuine attestation and refuses a forged one, a changed
// bundle and a replaced key.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey, keyIdOf, type TenantKeySet } from '@everyskill/provenance';
import { eq, skillVersions, withTenant } from '@everyskill/db';
import { afterAll, describe, expect, it } from 'vitest';
import { getTenantKeys } from '../src/provenance/get-tenant-keys';
import { getVersionAttestation } from '../src/provenance/get-version-attestation';
import { publishSkill } from '../src/skills/publish-skill';
import { mode, skillFolder, useSkillsTestSuite } from './skills-fixtures';

const suite = useSkillsTestSuite();
const doc = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/provenance.md'), 'utf8');
const script = /```sh\n(# verify-attestation\.sh[\s\S]*?)```/.exec(doc)?.[1];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(files: Record<string, string | Uint8Array>, zipName: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'verify-attestation-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  writeFileSync(path.join(dir, 'verify-attestation.sh'), script!);
  const result = spawnSync('bash', ['verify-attestation.sh', zipName], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe(`verifying by hand with openssl (${mode})`, () => {
  it('the documented commands verify a real attestation and refuse tampered ones', async () => {
    expect(script, 'docs/provenance.md has the verify-attestation.sh block').toBeDefined();
    expect(execFileSync('openssl', ['version'], { encoding: 'utf8' })).toMatch(/^OpenSSL 3\./);
    const t = await suite.tenant();
    const published = await publishSkill(t.as('author'), {
      source: { kind: 'files', files: skillFolder('pdf-tools', { version: '1.2.0', files: { 'scripts/fill.py': 'print("fill")\n', 'reference.md': '# Ref\n' } }) },
    });
    const attestation = await getVersionAttestation(t.as('other'), { slug: 'pdf-tools', version: '1.2.0' });
    const keys = await getTenantKeys(suite.dbs.app.db, t.tenantId);
    const [row] = await withTenant(suite.dbs.app.db, t.tenantId, (tx) => tx.select().from(skillVersions).where(eq(skillVersions.id, published.version.id)));
    const zip = suite.blobs.blobs.get(row!.blobKey)!;
    const genuine = { 'attestation.json': JSON.stringify(attestation.envelope), 'keys.json': JSON.stringify(keys), 'pdf-tools-1.2.0.zip': zip };

    const ok = run(genuine, 'pdf-tools-1.2.0.zip');
    expect(ok.out).toContain('Signature Verified Successfully');
    expect(ok.out).toContain(`verified: pdf-tools@1.2.0 of Skills ${t.slug}, published by ${t.author.email}`);
    expect(ok.code).toBe(0);

    // A forged statement (another publisher) under the genuine signature.
    const statement = JSON.parse(Buffer.from(attestation.envelope.payload, 'base64').toString('utf8')) as { predicate: { publisher: { email: string } } };
    statement.predicate.publisher.email = 'mallory@example.test';
    const forged = { ...attestation.envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
    const refusedForgery = run({ ...genuine, 'attestation.json': JSON.stringify(forged) }, 'pdf-tools-1.2.0.zip');
    expect(refusedForgery.code).not.toBe(0);
    expect(refusedForgery.out).toContain('Signature Verification Failure');

    // One byte of the bundle changed.
    const changed = Buffer.from(zip);
    changed[changed.length - 40] = changed[changed.length - 40]! ^ 0x01;
    const refusedBundle = run({ ...genuine, 'pdf-tools-1.2.0.zip': changed }, 'pdf-tools-1.2.0.zip');
    expect(refusedBundle).toMatchObject({ code: 1, out: expect.stringContaining('is not the bundle the attestation names') });

    // The public key replaced in keys.json, under the same keyid.
    const mallory = generateSigningKey();
    const replaced: TenantKeySet = { ...keys, keys: keys.keys.map((k) => ({ ...k, publicKeyPem: mallory.publicKeyPem })) };
    const refusedKey = run({ ...genuine, 'keys.json': JSON.stringify(replaced) }, 'pdf-tools-1.2.0.zip');
    expect(refusedKey).toMatchObject({ code: 1, out: expect.stringContaining('does not match its key id') });
    expect(keyIdOf(mallory.publicKeyPem)).not.toBe(attestation.keyid);
  });
});
