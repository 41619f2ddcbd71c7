import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, eq, rowsOf, skillFeedback, skills, sql, withTenant } from '@everyskill/db';
import { openJobQueue, setJobQueue, type JobQueue } from '@everyskill/jobs';
import { runIntegrityCheck } from '../src/integrity/check-integrity';
import { createJobRegistry } from '../src/jobs/job-registry';
import { rateSkill } from '../src/skills/rate-skill';
import { publishSkill } from '../src/skills/publish-skill';
import { recordUse } from '../src/skills/record-use';
import { submitFeedback } from '../src/skills/submit-feedback';
import { waitFor } from './ai-fixtures';
import { createSkillsTenant, ListableBlobStore, mode, openTestDatabases, skillFolder, skillsCtx, type SkillsTestTenant } from './skills-fixtures';
import type { TestDatabases } from '@everyskill/db/testing';

const system = { kind: 'system', label: 'integrity-test' } as const;
let dbs: TestDatabases;
let queue: JobQueue;
let blobs: ListableBlobStore;
let a: SkillsTestTenant;
let b: SkillsTestTenant;

beforeAll(async () => {
  dbs = await openTestDatabases();
  blobs = new ListableBlobStore();
  queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
  setJobQueue(queue);
  await queue.startWorkers(createJobRegistry({ blobs }), { concurrency: 2, pollIntervalMs: 200, shutdownTimeoutMs: 5_000 });
  [a, b] = await Promise.all([createSkillsTenant(dbs), createSkillsTenant(dbs)]);
});

afterAll(async () => {
  await queue?.close();
  setJobQueue(null);
  await dbs?.close();
});

describe(`integrity check (${mode})`, () => {
  it('finds corrupt counters, a cross-tenant row, a missing and an orphan blob; repair fixes what is safe; then clean', async () => {
    const as = (t: SkillsTestTenant, who: 'admin' | 'author' | 'other') => skillsCtx(dbs.app.db, t.tenantId, t[who], blobs);
    const one = await publishSkill(as(a, 'author'), { source: { kind: 'files', files: skillFolder('pdf-tools') } });
    const two = await publishSkill(as(a, 'author'), { source: { kind: 'files', files: skillFolder('csv-tools') } });
    await rateSkill(as(a, 'other'), { slug: 'pdf-tools', stars: 4 });
    await recordUse(as(a, 'other'), { slug: 'pdf-tools', source: 'api' });
    await submitFeedback(as(a, 'other'), { slug: 'pdf-tools', kind: 'thumbs_up', source: 'portal' });
    // Embeddings come from jobs; whatever is still missing, repair queues it. Then the tenant is clean.
    await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: a.tenantId });
    await waitFor('embeddings of both skills', async () =>
      (await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: a.tenantId })).clean,
    );
    const before = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: a.tenantId });
    expect(before.clean).toBe(true);

    // 1. corrupt counters
    await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.update(skills).set({ usesCount: 40, ratingSum: 1, feedbackTotal: 7, feedbackPositive: 3 }).where(eq(skills.slug, 'pdf-tools')),
    );
    // 2. a row of tenant A pointing at a person of tenant B (foreign keys do not see tenants)
    const [foreign] = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.insert(skillFeedback).values({ tenantId: a.tenantId, skillId: one.skill.id, userId: b.other.userId, kind: 'suggestion', body: 'hi' }).returning(),
    );
    // 3. a version whose bundle is gone
    const twoVersion = rowsOf<{ blob_key: string }>(
      await withTenant(dbs.app.db, a.tenantId, (tx) => tx.execute(sql`SELECT blob_key FROM skill_versions WHERE skill_id = ${two.skill.id}`)),
    )[0]!;
    const lostBytes = blobs.blobs.get(twoVersion.blob_key)!;
    await blobs.delete(twoVersion.blob_key);
    // 4. a bundle nothing points to, two days old, and one written a minute ago (a publish in flight)
    const orphanBytes = new TextEncoder().encode('orphan bundle');
    const { key: orphanKey } = await blobs.put(`${a.tenantId}/${createHashHex(orphanBytes)}`, orphanBytes);
    blobs.modified.set(orphanKey, new Date(Date.now() - 2 * 86_400_000));
    const freshBytes = new TextEncoder().encode('publish in flight');
    const { key: freshKey } = await blobs.put(`${a.tenantId}/${createHashHex(freshBytes)}`, freshBytes);

    const found = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: a.tenantId });
    expect(found.clean).toBe(false);
    expect(found.counters).toEqual([
      expect.objectContaining({
        slug: 'pdf-tools',
        differences: { uses_count: [40, 1], rating_sum: [1, 4], feedback_positive: [3, 1], feedback_total: [7, 1] },
      }),
    ]);
    expect(found.crossTenantRows).toEqual([{ tenantId: a.tenantId, table: 'skill_feedback', column: 'user_id', rowId: foreign!.id, repairable: true }]);
    expect(found.missingBlobs).toEqual([expect.objectContaining({ skillSlug: 'csv-tools', blobKey: twoVersion.blob_key })]);
    expect(found.orphanBlobs.map((o) => [o.key, o.removable]).sort()).toEqual([[orphanKey, true], [freshKey, false]].sort());
    // Tenant B's check sees none of A's problems.
    const other = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId });
    expect(other.clean).toBe(true);

    const repaired = await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: a.tenantId });
    expect(repaired.repairs).toEqual({ countersFixed: 1, referencesDetached: 1, embeddingsQueued: 0, orphanBlobsRemoved: 1, attestationsBackfilled: 0 });
    expect(blobs.blobs.has(orphanKey)).toBe(false);
    expect(blobs.blobs.has(freshKey)).toBe(true);
    const [pdf] = await withTenant(dbs.app.db, a.tenantId, (tx) => tx.select().from(skills).where(eq(skills.slug, 'pdf-tools')));
    expect(Number(pdf!.ratingAvg)).toBe(4);
    expect(pdf).toMatchObject({ usesCount: 1, ratingSum: 4, ratingCount: 1, feedbackPositive: 1, feedbackTotal: 1 });
    const actions = await withTenant(dbs.app.db, a.tenantId, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(sql`${auditLog.action} LIKE 'integrity.%'`),
    );
    expect(actions.map((x) => x.action).sort()).toEqual([
      'integrity.counters_repaired',
      'integrity.embeddings_queued',
      'integrity.orphan_blobs_removed',
      'integrity.references_detached',
    ]);

    // Second run: what repair fixed is clean; the missing bundle needs an operator (restore from backup).
    const second = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: a.tenantId });
    expect(second.counters).toEqual([]);
    expect(second.crossTenantRows).toEqual([]);
    expect(second.orphanBlobs.map((o) => o.key)).toEqual([freshKey]);
    expect(second.missingBlobs).toHaveLength(1);

    // The operator restores the bundle and the in-flight publish's blob ages past a day without a row.
    await blobs.put(twoVersion.blob_key, lostBytes);
    blobs.modified.set(freshKey, new Date(Date.now() - 2 * 86_400_000));
    await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: a.tenantId });
    const last = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: a.tenantId });
    expect(last.clean).toBe(true);
  });

  it('a publish that reuses an old orphan bundle refreshes its time, so a repair running meanwhile keeps it', async () => {
    const as = (t: SkillsTestTenant) => skillsCtx(dbs.app.db, t.tenantId, t.author, blobs);
    // The bundle tenant A's publish stores is, byte for byte, the one B's publish of the same files packs.
    const files = skillFolder('reused-bundle', { body: '# Reused\n' });
    const first = await publishSkill(as(a), { source: { kind: 'files', files } });
    const aKey = rowsOf<{ blob_key: string }>(
      await withTenant(dbs.app.db, a.tenantId, (tx) => tx.execute(sql`SELECT blob_key FROM skill_versions WHERE id = ${first.version.id}`)),
    )[0]!.blob_key;
    expect(aKey).toBeTruthy();
    const orphanKey = aKey.replace(a.tenantId, b.tenantId);
    // In B the same bytes are an orphan two days old (a publish that failed after its blob).
    blobs.blobs.set(orphanKey, blobs.blobs.get(aKey)!);
    blobs.modified.set(orphanKey, new Date(Date.now() - 2 * 86_400_000));
    const seen = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId });
    expect(seen.orphanBlobs).toEqual([expect.objectContaining({ key: orphanKey, removable: true })]);

    // A repair that listed it as old while B's publish stored (reused) the bundle, its version not yet
    // committed: the time the put refreshed is what keeps the bundle.
    const bytes = blobs.blobs.get(orphanKey)!;
    let stored: { created: boolean } | undefined;
    const racing = {
      exists: (key: string) => blobs.exists(key),
      head: (key: string) => blobs.head(key),
      get: (key: string) => blobs.get(key),
      delete: (key: string) => blobs.delete(key),
      async *list(prefix: string) {
        for await (const blob of blobs.list(prefix)) yield blob;
        stored = await blobs.put(orphanKey, bytes); // the publish, right after the check listed the store
      },
    };
    const repaired = await runIntegrityCheck(dbs.app.db, { blobs: racing, repair: true, actor: system, tenantId: b.tenantId });
    expect(stored?.created).toBe(false);
    expect(repaired.orphanBlobs).toEqual([expect.objectContaining({ key: orphanKey, removable: true })]);
    expect(repaired.repairs.orphanBlobsRemoved).toBe(0);
    expect(blobs.blobs.has(orphanKey)).toBe(true);

    // And B's publish itself goes through put, refreshing the time of the bundle it reuses.
    blobs.modified.set(orphanKey, new Date(Date.now() - 2 * 86_400_000));
    const second = await publishSkill(as(b), { source: { kind: 'files', files } });
    expect(second.created).toBe(true);
    expect(Date.now() - blobs.modified.get(orphanKey)!.getTime()).toBeLessThan(60_000);
    const after = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId });
    expect(after.orphanBlobs.map((o) => o.key)).not.toContain(orphanKey);
  });

  it('reports a skill with no embedding, and repair re-queues it', async () => {
    const as = (who: 'author') => skillsCtx(dbs.app.db, b.tenantId, b[who], blobs);
    const published = await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('embed-me') } });
    await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: b.tenantId });
    await waitFor('the first embedding', async () => (await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId })).clean);
    await withTenant(dbs.app.db, b.tenantId, (tx) => tx.execute(sql`DELETE FROM skill_embeddings WHERE skill_id = ${published.skill.id}`));
    const found = await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId });
    expect(found.embeddings).toEqual([expect.objectContaining({ slug: 'embed-me', problem: 'missing' })]);
    const repaired = await runIntegrityCheck(dbs.app.db, { blobs, repair: true, actor: system, tenantId: b.tenantId });
    expect(repaired.repairs.embeddingsQueued).toBe(1);
    await waitFor('the re-queued embedding', async () => (await runIntegrityCheck(dbs.app.db, { blobs, repair: false, actor: system, tenantId: b.tenantId })).clean);
  });
});

function createHashHex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
