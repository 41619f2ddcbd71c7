// Provenance: every published version is signed by its tenant's key and chained into the tenant's
// log; the integrity check finds a changed bundle, a forged attestation, a replaced key and a
// deleted log entry, and key rotation keeps older versions verifiable.
import { randomUUID } from 'node:crypto';
import {
  envelopeSha256,
  generateSigningKey,
  logEntryHash,
  signSkillAttestation,
  verifyAttestation,
  verifyKeyChange,
  verifyKeySet,
  verifySubjects,
  type SkillAttestation,
} from '@everyskill/provenance';
import { desc, eq, provenanceLog, skillVersions, skillVersionSafety, tenantSigningKeys, withTenant } from '@everyskill/db';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIntegrityCheck } from '../src/integrity/check-integrity';
import { getVersionAttestation } from '../src/provenance/get-version-attestation';
import { decryptPrivateKey } from '../src/provenance/signing-key-crypto';
import { readProvenanceEnv } from '../src/provenance/provenance-env';
import { rotateSigningKey } from '../src/provenance/rotate-signing-key';
import { readTenantKeySet } from '../src/provenance/signing-keys';
import { decideSubmission } from '../src/review-workflow/decide-submission';
import { updateReviewSettings } from '../src/review-workflow/review-settings';
import { submitSkillForReview } from '../src/review-workflow/submit-skill-for-review';
import { forkSkill } from '../src/skills/fork-skill';
import { publishSkill } from '../src/skills/publish-skill';
import { overrideSafetyVerdict, SAFETY_RULES_VERSION } from '../src/skills/safety';
import { createSkillsTenant, ListableBlobStore, mode, openTestDatabases, skillFolder, skillMarkdown, skillsCtx, type SkillsTestTenant } from './skills-fixtures';

const system = { kind: 'system', label: 'provenance-test' } as const;
const embedding = { provider: 'builtin', model: 'provenance-test' };
let dbs: TestDatabases;
const blobs = new ListableBlobStore();

beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

const as = (t: SkillsTestTenant, who: 'admin' | 'author' | 'other') => skillsCtx(dbs.app.db, t.tenantId, t[who], blobs);
const keySetOf = (t: SkillsTestTenant) => withTenant(dbs.app.db, t.tenantId, (tx) => readTenantKeySet(tx, t.tenantId));
const statementOf = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as SkillAttestation;
const provenanceOf = async (t: SkillsTestTenant) =>
  (await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: t.tenantId, embedding })).provenance;

/** What someone with write access to the database (not the app) could do: bypass the triggers and RLS. */
async function tamper(table: string, trigger: string, tenantId: string, statement: string) {
  await dbs.owner.session((s) =>
    s.exec(`BEGIN;
      SELECT set_config('app.tenant_id', '${tenantId}', true);
      ALTER TABLE ${table} DISABLE TRIGGER ${trigger};
      ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY;
      ${statement};
      ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
      ALTER TABLE ${table} ENABLE TRIGGER ${trigger};
      COMMIT;`),
  );
}

describe(`provenance (${mode})`, () => {
  it('a publish is signed by the tenant (key made on first use, encrypted at rest) and verifies with the bundle and files', async () => {
    const t = await createSkillsTenant(dbs);
    const files = skillFolder('pdf-tools', { files: { 'scripts/run.sh': 'echo hi\n' } });
    const published = await publishSkill(as(t, 'author'), { source: { kind: 'files', files } });

    const attestation = await getVersionAttestation(as(t, 'other'), { slug: 'pdf-tools', version: '1.0.0' });
    expect(attestation).toMatchObject({ slug: 'pdf-tools', version: '1.0.0', reason: 'published', logSeq: 1, attestations: 1, keysUrl: '/.well-known/everyskill/keys.json' });
    expect(attestation.summary).toEqual({ signedBy: `Skills ${t.slug}`, publishedBy: t.author.email, safety: { verdict: 'clean', rulesVersion: SAFETY_RULES_VERSION }, review: null, parent: null });

    const keySet = await keySetOf(t);
    expect(keySet.keys).toHaveLength(1);
    expect(verifyKeySet(keySet)).toEqual({ ok: true });
    const checked = verifyAttestation(attestation.envelope, keySet);
    if (!checked.ok) throw new Error(checked.problem);
    const p = checked.statement.predicate;
    expect(p).toMatchObject({ tenant: { id: t.tenantId, slug: t.slug }, skill: { name: 'pdf-tools' }, version: { id: published.version.id, number: '1.0.0', contentSha256: published.version.contentSha256 } });
    expect(p.publisher).toEqual({ userId: t.author.userId, email: t.author.email });
    const [version] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(skillVersions).where(eq(skillVersions.id, published.version.id)));
    const bundle = blobs.blobs.get(version!.blobKey)!;
    const inFolder = files.map((f) => ({ path: f.path.replace('pdf-tools/', ''), bytes: f.bytes }));
    expect(verifySubjects(checked.statement, { bundle, files: inFolder })).toEqual({ ok: true });

    // The private key is stored encrypted, bound to its tenant and keyid.
    const [row] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(tenantSigningKeys).where(eq(tenantSigningKeys.tenantId, t.tenantId)));
    expect(row!.privateKeyEncrypted).toMatch(/^v1\./);
    expect(row!.privateKeyEncrypted).not.toContain('PRIVATE KEY');
    expect(() => decryptPrivateKey(readProvenanceEnv(), row!.privateKeyEncrypted, { tenantId: randomUUID(), keyid: row!.keyid })).toThrow(/does not decrypt/);
    const other = readProvenanceEnv({ SIGNING_KEYS_SECRET: Buffer.alloc(32, 7).toString('base64') });
    expect(() => decryptPrivateKey(other, row!.privateKeyEncrypted, { tenantId: t.tenantId, keyid: row!.keyid })).toThrow(/another SIGNING_KEYS_SECRET/);

    expect(await provenanceOf(t)).toEqual([]);
  });

  it('the attestation states the safety scan; an admin override of a blocked version is attested again, the old one kept', async () => {
    const t = await createSkillsTenant(dbs);
    const published = await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('later-flagged') } });
    const first = await getVersionAttestation(as(t, 'other'), { slug: 'later-flagged', version: '1.0.0' });
    expect(statementOf(first.envelope.payload).predicate.safety).toMatchObject({ verdict: 'clean', rulesVersion: SAFETY_RULES_VERSION, override: null });
    // What a rescan under newer rules does when a rule now catches the version.
    await withTenant(dbs.app.db, t.tenantId, (tx) =>
      tx.update(skillVersionSafety).set({ verdict: 'blocked', rulesVersion: 'next' }).where(eq(skillVersionSafety.versionId, published.version.id)),
    );
    const reason = 'Reviewed by hand: the flagged host is our own mirror.';
    await overrideSafetyVerdict(as(t, 'admin'), { slug: 'later-flagged', version: '1.0.0', reason });
    const latest = await getVersionAttestation(as(t, 'other'), { slug: 'later-flagged', version: '1.0.0' });
    expect(latest).toMatchObject({ reason: 'override', attestations: 2 });
    const checked = verifyAttestation(latest.envelope, await keySetOf(t));
    if (!checked.ok) throw new Error(checked.problem);
    expect(checked.statement.predicate.safety).toMatchObject({ verdict: 'blocked', rulesVersion: 'next', override: { reason } });
    // The earlier attestation stays fetchable by its digest (what a lockfile records); an unknown digest is not found.
    const earlier = await getVersionAttestation(as(t, 'other'), { slug: 'later-flagged', version: '1.0.0', envelopeSha256: first.envelopeSha256 });
    expect(earlier).toMatchObject({ envelopeSha256: first.envelopeSha256, reason: 'published', logSeq: first.logSeq });
    await expect(getVersionAttestation(as(t, 'other'), { slug: 'later-flagged', version: '1.0.0', envelopeSha256: 'e'.repeat(64) })).rejects.toMatchObject({
      code: 'not_found',
      message: 'an attestation eeeeeeeeeeee… of later-flagged@1.0.0 was not found',
    });
    await expect(getVersionAttestation(as(t, 'other'), { slug: 'later-flagged', version: '1.0.0', envelopeSha256: 'E' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await provenanceOf(t)).toEqual([]);
  });

  it('a variation states its parent; an approved submission states its reviewer', async () => {
    const t = await createSkillsTenant(dbs);
    await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('base-skill') } });
    await forkSkill(as(t, 'other'), { slug: 'base-skill', name: 'my-base-skill' });
    const fork = await getVersionAttestation(as(t, 'other'), { slug: 'my-base-skill' });
    expect(fork.summary.parent).toEqual({ skill: 'base-skill', version: '1.0.0' });

    await updateReviewSettings(as(t, 'admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    const md = skillMarkdown({ name: 'reviewed-skill', description: 'Helps with reviews.' }, '# Reviewed\n');
    const submission = await submitSkillForReview(as(t, 'author'), { skillMd: md });
    await decideSubmission(as(t, 'admin'), { submissionId: submission.submissionId, decision: 'approve' });
    const reviewed = await getVersionAttestation(as(t, 'author'), { slug: 'reviewed-skill' });
    expect(reviewed.summary).toMatchObject({ publishedBy: t.author.email, review: { decision: 'approved', reviewer: t.admin.email } });
    expect(verifyAttestation(reviewed.envelope, await keySetOf(t)).ok).toBe(true);
    expect(await provenanceOf(t)).toEqual([]);
  });

  it('publishes at the same moment keep one unbroken chain (the key lock orders them)', async () => {
    const t = await createSkillsTenant(dbs);
    await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('first-skill') } });
    const names = ['tool-a', 'tool-b', 'tool-c', 'tool-d', 'tool-e'];
    await Promise.all(names.map((name) => publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder(name) } })));
    const seqs = async () => (await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select({ seq: provenanceLog.seq }).from(provenanceLog))).map((r) => r.seq).sort((a, b) => a - b);
    expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await provenanceOf(t)).toEqual([]);
  });

  it('a modified byte in a stored bundle is reported', async () => {
    const t = await createSkillsTenant(dbs);
    const published = await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('csv-tools') } });
    const [version] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(skillVersions).where(eq(skillVersions.id, published.version.id)));
    const bytes = blobs.blobs.get(version!.blobKey)!;
    bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0x01;
    const findings = await provenanceOf(t);
    expect(findings).toEqual([
      expect.objectContaining({ problem: 'bundle-mismatch', versionId: published.version.id, message: expect.stringMatching(/^the stored bundle of csv-tools@1\.0\.0 has SHA-256 [0-9a-f]{64}, but its attestation says [0-9a-f]{64}: the bundle was changed after it was published$/) }),
    ]);
  });

  it('a forged attestation appended with a valid chain link is reported by its signature', async () => {
    const t = await createSkillsTenant(dbs);
    const published = await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('forged-skill') } });
    const real = await getVersionAttestation(as(t, 'author'), { slug: 'forged-skill' });
    const statement = statementOf(real.envelope.payload);
    statement.predicate.review = { decision: 'approved', reviewer: { userId: t.admin.userId, email: t.admin.email }, decidedAt: new Date().toISOString() };
    const mallory = generateSigningKey();
    // Signed with another key but filed under the tenant's keyid: the chain is intact, the signature is not.
    const forged = signSkillAttestation(statement.subject, statement.predicate, mallory.privateKey, mallory.keyid);
    forged.signatures[0]!.keyid = real.keyid;
    await withTenant(dbs.app.db, t.tenantId, async (tx) => {
      const [last] = await tx.select().from(provenanceLog).orderBy(desc(provenanceLog.seq)).limit(1);
      const link = { seq: last!.seq + 1, kind: 'attestation' as const, envelopeSha256: envelopeSha256(forged), prevHash: last!.entryHash };
      await tx.insert(provenanceLog).values({ tenantId: t.tenantId, ...link, entryHash: logEntryHash(t.tenantId, link), skillId: published.skill.id, versionId: published.version.id, reason: 'review', keyid: real.keyid, envelope: forged });
    });
    expect(await provenanceOf(t)).toEqual([
      expect.objectContaining({ problem: 'bad-signature', seq: 2, message: expect.stringMatching(/^the attestation in log entry 2 does not verify: the signature by key [0-9a-f]{12} does not verify/) }),
    ]);
  });

  it('the log and the keys refuse changes; a replaced public key and a deleted log entry are reported', async () => {
    const t = await createSkillsTenant(dbs);
    for (const name of ['one-skill', 'two-skill', 'three-skill']) await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder(name) } });
    await expect(withTenant(dbs.app.db, t.tenantId, (tx) => tx.delete(provenanceLog).where(eq(provenanceLog.seq, 2)))).rejects.toThrow();
    await expect(withTenant(dbs.app.db, t.tenantId, (tx) => tx.update(provenanceLog).set({ reason: 'override' }))).rejects.toThrow();
    const mallory = generateSigningKey();
    await expect(withTenant(dbs.app.db, t.tenantId, (tx) => tx.update(tenantSigningKeys).set({ publicKeyPem: mallory.publicKeyPem }))).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/can only be retired/) }),
    });

    await tamper('tenant_signing_keys', 'tenant_signing_keys_retire_only', t.tenantId, `UPDATE tenant_signing_keys SET public_key_pem = '${mallory.publicKeyPem}' WHERE tenant_id = '${t.tenantId}'`);
    const replaced = await provenanceOf(t);
    expect(replaced[0]).toMatchObject({ problem: 'key-set', message: expect.stringMatching(/the key was replaced$/) });
    expect(replaced.filter((f) => f.problem === 'bad-signature')).toHaveLength(3);

    const t2 = await createSkillsTenant(dbs);
    for (const name of ['one-skill', 'two-skill', 'three-skill']) await publishSkill(as(t2, 'author'), { source: { kind: 'files', files: skillFolder(name) } });
    await tamper('provenance_log', 'provenance_log_append_only', t2.tenantId, `DELETE FROM provenance_log WHERE tenant_id = '${t2.tenantId}' AND seq = 2`);
    expect(await provenanceOf(t2)).toEqual([
      expect.objectContaining({ problem: 'broken-chain', seq: 2, message: 'the provenance log is broken at entry 2: entry 2 is missing: the log goes from 1 to 3' }),
      expect.objectContaining({ problem: 'unattested', message: expect.stringMatching(/^two-skill@1\.0\.0 has no attestation/) }),
    ]);
  });

  it('key rotation: signed by the previous key, old versions still verify, new ones use the new key', async () => {
    const t = await createSkillsTenant(dbs);
    await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('old-skill') } });
    const before = await keySetOf(t);
    const pinned = before.keys[0]!.keyid;

    await expect(rotateSigningKey(as(t, 'author'))).rejects.toMatchObject({ code: 'forbidden' });
    const rotated = await rotateSigningKey(as(t, 'admin'));
    expect(rotated.previous.keyid).toBe(pinned);
    expect(rotated.previous.validUntil).not.toBeNull();
    await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('new-skill') } });

    const after = await keySetOf(t);
    expect(after.keys.map((k) => k.keyid)).toEqual([pinned, rotated.current.keyid]);
    expect(verifyKeySet(after)).toEqual({ ok: true });
    expect(verifyKeyChange(pinned, after)).toEqual({ ok: true, changed: true });
    const old = await getVersionAttestation(as(t, 'author'), { slug: 'old-skill' });
    const fresh = await getVersionAttestation(as(t, 'author'), { slug: 'new-skill' });
    expect(old.keyid).toBe(pinned);
    expect(fresh.keyid).toBe(rotated.current.keyid);
    expect(verifyAttestation(old.envelope, after).ok).toBe(true);
    expect(verifyAttestation(fresh.envelope, after).ok).toBe(true);
    // The rotation is itself in the log, between the two attestations.
    const kinds = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select({ seq: provenanceLog.seq, kind: provenanceLog.kind }).from(provenanceLog).orderBy(provenanceLog.seq));
    expect(kinds).toEqual([{ seq: 1, kind: 'attestation' }, { seq: 2, kind: 'key-rotation' }, { seq: 3, kind: 'attestation' }]);
    expect(await provenanceOf(t)).toEqual([]);
  });

  it('a version from before signing is reported, then backfilled by repair or on first read', async () => {
    const t = await createSkillsTenant(dbs);
    const published = await publishSkill(as(t, 'author'), { source: { kind: 'files', files: skillFolder('early-skill') } });
    // A version row as an older release wrote it: same bundle, no attestation.
    const [version] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(skillVersions).where(eq(skillVersions.id, published.version.id)));
    const { id: _id, createdAt: _c, ...copy } = version!;
    const [older] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.insert(skillVersions).values({ ...copy, version: '0.9.0' }).returning());
    const [other] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.insert(skillVersions).values({ ...copy, version: '0.8.0' }).returning());
    expect((await provenanceOf(t)).map((f) => f.problem)).toEqual(['unattested', 'unattested']);

    const read = await getVersionAttestation(as(t, 'author'), { slug: 'early-skill', version: '0.9.0' });
    expect(read).toMatchObject({ reason: 'backfill', version: '0.9.0' });
    expect(statementOf(read.envelope.payload).predicate.version.id).toBe(older!.id);
    const repaired = await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: t.tenantId, embedding });
    expect(repaired.repairs.attestationsBackfilled).toBe(1);
    expect(await provenanceOf(t)).toEqual([]);
    const [entry] = await withTenant(dbs.app.db, t.tenantId, (tx) => tx.select().from(provenanceLog).where(eq(provenanceLog.versionId, other!.id)));
    expect(entry?.reason).toBe('backfill');
  });
});
