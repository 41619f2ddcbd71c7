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
