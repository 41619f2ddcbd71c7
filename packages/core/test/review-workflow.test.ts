// The review workflow: submit → AI review → changes requested → revised → approved (published),
// auto-approval by AI scores, the publish gate, and the insert-only record of every decision.
import { reviewAnswer } from '@everyskill/ai/testing';
import {
  aiReviews,
  and,
  auditLog,
  eq,
  memberships,
  reviewDecisions,
  reviewNotifications,
  skillEmbeddings,
  skills,
  skillVersions,
  sql,
  withTenant,
} from '@everyskill/db';
import type { TestDatabases } from '@everyskill/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRegistry } from '../src/jobs/job-registry';
import { decideSubmission } from '../src/review-workflow/decide-submission';
import { forkSkill } from '../src/skills/fork-skill';
import { publishSkill } from '../src/skills/publish-skill';
import { getSubmission } from '../src/review-workflow/get-submission';
import { listMySubmissions, listReviewQueue } from '../src/review-workflow/list-review-queue';
import { assertDirectPublishAllowed, runAsApprovedPublication } from '../src/review-workflow/publish-gate';
import { listReviewNotifications } from '../src/review-workflow/review-notifications';
import { getReviewSettings, updateReviewSettings } from '../src/review-workflow/review-settings';
import { submitSkillForReview } from '../src/review-workflow/submit-skill-for-review';
import { startAiHarness, waitFor, type AiHarness } from './ai-fixtures';
import { createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillMarkdown, skillsCtx, type SkillsTestTenant } from './skills-fixtures';

let dbs: TestDatabases;
let ai: AiHarness;
const blobs = new MemoryBlobStore();
let scores = { quality: 7, clarity: 7, completeness: 7 };

beforeAll(async () => {
  dbs = await openTestDatabases();
  ai = await startAiHarness(dbs, () => createJobRegistry({ blobs }), () => ({ text: reviewAnswer(scores) }));
});

afterAll(async () => {
  await ai?.close();
  await dbs?.close();
});

let tenant: SkillsTestTenant;
beforeEach(async () => {
  tenant = await createSkillsTenant(dbs);
  scores = { quality: 7, clarity: 7, completeness: 7 };
});

const as = (who: 'admin' | 'author' | 'other') => skillsCtx(dbs.app.db, tenant.tenantId, tenant[who], blobs);
const md = (name: string, body: string) => skillMarkdown({ name, description: `Helps with ${name}.` }, body);

async function withScores(submissionId: string) {
  return waitFor('the AI review of the latest revision', async () => {
    const [row] = (await listReviewQueue(as('admin'))).filter((s) => s.id === submissionId);
    return row?.aiReview?.status === 'completed' ? row : undefined;
  });
}

describe(`review workflow (${mode})`, () => {
  it('approval on: submit, admin requests changes, author revises, admin approves → published, each step recorded', async () => {
    await expect(updateReviewSettings(as('author'), { reviewMode: 'approval', autoApproveThreshold: null })).rejects.toMatchObject({ code: 'forbidden' });
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    expect(await getReviewSettings(as('other'))).toEqual({ reviewMode: 'approval', autoApproveThreshold: null, safetyBlockPolicy: 'refuse' });

    const first = await submitSkillForReview(as('author'), { skillMd: md('deploy-notes', '# Deploy\n\nWrite notes.\n'), notes: 'first cut' });
    expect(first).toMatchObject({ slug: 'deploy-notes', revision: 1, revised: false });

    // The queue shows it with Claude's scores.
    const queued = await withScores(first.submissionId);
    expect(queued).toMatchObject({ status: 'in_review', isNewSkill: true, author: { email: tenant.author.email } });
    expect(queued.aiReview?.scores).toEqual({ quality: 7, clarity: 7, completeness: 7 });

    // Members cannot decide; a comment is required to request changes.
    await expect(decideSubmission(as('other'), { submissionId: first.submissionId, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(decideSubmission(as('admin'), { submissionId: first.submissionId, decision: 'request_changes' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const changes = await decideSubmission(as('admin'), {
      submissionId: first.submissionId,
      decision: 'request_changes',
      comment: 'Say which environments it covers.',
    });
    expect(changes).toMatchObject({ status: 'changes_requested', published: null });
    expect((await listReviewQueue(as('admin'))).map((s) => s.id)).not.toContain(first.submissionId);
    const [notice] = await listReviewNotifications(as('author'));
    expect(notice).toMatchObject({ decision: 'changes_requested', message: expect.stringContaining('Say which environments it covers.') });

    // The author revises: the same submission, revision 2, back in the queue, with a diff to revision 1.
    const second = await submitSkillForReview(as('author'), { skillMd: md('deploy-notes', '# Deploy\n\nWrite notes for staging and production.\n') });
    expect(second).toMatchObject({ submissionId: first.submissionId, revision: 2, revised: true });
    await withScores(first.submissionId);
    const detail = await getSubmission(as('admin'), { submissionId: first.submissionId });
    expect(detail).toMatchObject({ status: 'in_review', revision: 2, canDecide: true, canRevise: false });
    expect(detail.diffToPreviousRevision).toContain('+Write notes for staging and production.');
    expect(detail.diffToPreviousRevision).toContain('-Write notes.');
    await expect(getSubmission(as('other'), { submissionId: first.submissionId })).rejects.toMatchObject({ code: 'not_found' });

    const approved = await decideSubmission(as('admin'), { submissionId: first.submissionId, decision: 'approve', comment: 'Thanks!' });
    expect(approved.status).toBe('approved');
    expect(approved.published).toMatchObject({ version: '1.0.0' });

    // Published in the author's name, with revision 2's text.
    const [skill] = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select().from(skills).where(and(eq(skills.tenantId, tenant.tenantId), eq(skills.slug, 'deploy-notes'))),
    );
    expect(skill?.authorUserId).toBe(tenant.author.userId);
    const [version] = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select().from(skillVersions).where(eq(skillVersions.id, approved.published!.versionId)),
    );
    expect(version?.skillMd).toContain('staging and production');
    expect(version?.publishedBy).toBe(tenant.author.userId);

    const history = await getSubmission(as('author'), { submissionId: first.submissionId });
    expect(history.decisions.map((d) => [d.decision, d.revision])).toEqual([
      ['submitted', 1],
      ['changes_requested', 1],
      ['revised', 2],
      ['approved', 2],
    ]);
    expect((await listMySubmissions(as('author')))[0]).toMatchObject({ id: first.submissionId, status: 'approved' });
    const notices = await listReviewNotifications(as('author'));
    expect(notices.map((n) => n.decision)).toEqual(['approved', 'changes_requested']);

    const actions = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, first.submissionId)).orderBy(auditLog.id),
    );
    expect(actions.map((a) => a.action)).toEqual(['review.submitted', 'review.changes_requested', 'review.revised', 'review.approved']);

    // Decisions are facts: nobody rewrites them.
    await expect(
      withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.execute(sql`UPDATE review_decisions SET comment = 'edited' WHERE submission_id = ${first.submissionId}`)),
    ).rejects.toThrow();
    await expect(
      withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.execute(sql`DELETE FROM review_decisions WHERE submission_id = ${first.submissionId}`)),
    ).rejects.toThrow();
  });

  it('a new version of a published skill shows its diff to the published version; rejection publishes nothing', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    const first = await submitSkillForReview(as('author'), { skillMd: md('lint-rules', '# Lint\n\nRun eslint.\n') });
    await decideSubmission(as('admin'), { submissionId: first.submissionId, decision: 'approve' });

    const next = await submitSkillForReview(as('author'), { skillMd: md('lint-rules', '# Lint\n\nRun eslint --fix.\n') });
    expect(next.submissionId).not.toBe(first.submissionId);
    const detail = await getSubmission(as('admin'), { submissionId: next.submissionId });
    expect(detail).toMatchObject({ isNewSkill: false, publishedVersion: '1.0.0' });
    expect(detail.diffToPublished).toContain('lint-rules@1.0.0/SKILL.md');
    expect(detail.diffToPublished).toContain('+Run eslint --fix.');

    // Someone else cannot submit over an open submission of the same skill.
    await expect(submitSkillForReview(as('admin'), { skillMd: md('lint-rules', '# Lint\n\nOther.\n') })).rejects.toMatchObject({ code: 'conflict' });

    const rejected = await decideSubmission(as('admin'), { submissionId: next.submissionId, decision: 'reject', comment: 'Not needed.' });
    expect(rejected).toMatchObject({ status: 'rejected', published: null });
    const versions = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select({ version: skillVersions.version }).from(skillVersions).innerJoin(skills, eq(skills.id, skillVersions.skillId)).where(eq(skills.slug, 'lint-rules')),
    );
    expect(versions.map((v) => v.version)).toEqual(['1.0.0']);
    await expect(decideSubmission(as('admin'), { submissionId: next.submissionId, decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('an approved submission is published like any other: the version adopts the revision’s AI review and is embedded for search', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    scores = { quality: 8, clarity: 6, completeness: 9 };
    const sub = await submitSkillForReview(as('author'), { skillMd: md('release-notes', '# Release\n\nSummarise merged pull requests.\n') });
    await withScores(sub.submissionId);
    const claudeCalls = ai.standIn.requests.length;

    const approved = await decideSubmission(as('admin'), { submissionId: sub.submissionId, decision: 'approve' });
    const versionId = approved.published!.versionId;
    const reviews = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(aiReviews).where(eq(aiReviews.versionId, versionId)));
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      status: 'completed',
      qualityScore: 8,
      clarityScore: 6,
      completenessScore: 9,
      skillId: approved.published!.skillId,
      costUsd: null,
      inputTokens: null,
    });
    // The search embedding comes from the publish hook's job.
    await waitFor('the approved skill’s embedding', async () => {
      const rows = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
        tx.select().from(skillEmbeddings).where(eq(skillEmbeddings.skillId, approved.published!.skillId)),
      );
      return rows[0]?.versionId === versionId ? rows : undefined;
    });
    // Claude was not asked again about content it had already reviewed. (Reviews queued by earlier
    // tests may still reach Claude meanwhile; only requests about this skill count.)
    const aboutThisSkill = ai.standIn.requests.slice(claudeCalls).filter((r) => r.prompt.includes('Summarise merged pull requests.'));
    expect(aboutThisSkill).toEqual([]);
    expect(ai.standIn.requests.slice(0, claudeCalls).some((r) => r.prompt.includes('Summarise merged pull requests.'))).toBe(true);
  });

  it('an approval that crosses the author’s revision publishes nothing: the version and the decision commit together', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    const sub = await submitSkillForReview(as('author'), { skillMd: md('crossed-skill', '# Crossed\n\nFirst.\n') });
    // The author revises while the approval is storing the bundle, before its rows are written.
    const racing = new MemoryBlobStore();
    const put = racing.put.bind(racing);
    racing.put = async (key, bytes) => {
      await submitSkillForReview(as('author'), { skillMd: md('crossed-skill', '# Crossed\n\nSecond.\n') });
      return put(key, bytes);
    };
    const admin = skillsCtx(dbs.app.db, tenant.tenantId, tenant.admin, racing);
    await expect(decideSubmission(admin, { submissionId: sub.submissionId, decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    const stored = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(skills).where(eq(skills.slug, 'crossed-skill')));
    expect(stored).toHaveLength(0);
    expect(await getSubmission(as('admin'), { submissionId: sub.submissionId })).toMatchObject({ status: 'in_review', revision: 2 });
  });

  it('a reviewer decides on others’ submissions but not their own', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.update(memberships).set({ role: 'reviewer' }).where(eq(memberships.userId, tenant.other.userId)),
    );
    const reviewer = skillsCtx(dbs.app.db, tenant.tenantId, { ...tenant.other, role: 'reviewer' }, blobs);
    const own = await submitSkillForReview(reviewer, { skillMd: md('own-skill', '# Mine\n') });
    await expect(decideSubmission(reviewer, { submissionId: own.submissionId, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
    const theirs = await submitSkillForReview(as('author'), { skillMd: md('their-skill', '# Theirs\n') });
    expect((await listReviewQueue(reviewer)).map((s) => s.slug).sort()).toEqual(['own-skill', 'their-skill']);
    await expect(decideSubmission(reviewer, { submissionId: theirs.submissionId, decision: 'approve' })).resolves.toMatchObject({ status: 'approved' });
  });

  it('auto-approves a submission whose AI scores all reach the threshold, and leaves the rest to people', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: 7 });
    scores = { quality: 8, clarity: 7, completeness: 9 };
    const good = await submitSkillForReview(as('author'), { skillMd: md('good-skill', '# Good\n') });
    const approved = await waitFor('auto-approval', async () => {
      const [row] = (await listMySubmissions(as('author'))).filter((s) => s.id === good.submissionId);
      return row?.status === 'approved' ? row : undefined;
    });
    expect(approved.aiReview?.scores).toEqual({ quality: 8, clarity: 7, completeness: 9 });
    const detail = await getSubmission(as('author'), { submissionId: good.submissionId });
    expect(detail.decisions.at(-1)).toMatchObject({ decision: 'auto_approved', actor: 'EverySkill (automatic)' });
    const [notice] = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select().from(reviewNotifications).where(eq(reviewNotifications.submissionId, good.submissionId)),
    );
    expect(notice?.decision).toBe('auto_approved');

    scores = { quality: 9, clarity: 6, completeness: 9 };
    const borderline = await submitSkillForReview(as('author'), { skillMd: md('borderline-skill', '# Borderline\n') });
    const waiting = await withScores(borderline.submissionId);
    expect(waiting.status).toBe('in_review');
    const decided = await withTenant(dbs.app.db, tenant.tenantId, (tx) =>
      tx.select().from(reviewDecisions).where(eq(reviewDecisions.submissionId, borderline.submissionId)),
    );
    expect(decided.map((d) => d.decision)).toEqual(['submitted']);
  });

  it('the publish gate: with approval on, direct publishing is refused unless it is an approved submission', async () => {
    await withTenant(dbs.app.db, tenant.tenantId, (tx) => assertDirectPublishAllowed(tx, as('author')));
    await expect(submitSkillForReview(as('author'), { skillMd: md('direct-skill', '# Direct\n') })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('publishes skills directly'),
    });
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    await expect(withTenant(dbs.app.db, tenant.tenantId, (tx) => assertDirectPublishAllowed(tx, as('admin')))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('submit the skill for review'),
    });
    await runAsApprovedPublication('00000000-0000-4000-8000-000000000000', () =>
      withTenant(dbs.app.db, tenant.tenantId, (tx) => assertDirectPublishAllowed(tx, as('author'))),
    );

    // The real paths: publishing (upload, editor, REST, MCP all call publishSkill) and variations are refused, nothing is stored.
    const direct = { source: { kind: 'skill-md' as const, skillMd: md('direct-skill', '# Direct\n') } };
    await expect(publishSkill(as('author'), direct)).rejects.toMatchObject({ code: 'conflict', details: { reason: 'review-required' } });
    await expect(publishSkill(as('admin'), direct)).rejects.toMatchObject({ code: 'conflict', details: { reason: 'review-required' } });
    const stored = await withTenant(dbs.app.db, tenant.tenantId, (tx) => tx.select().from(skills).where(eq(skills.slug, 'direct-skill')));
    expect(stored).toHaveLength(0);
  });

  it('with approval on, new versions and variations of published skills also need a review', async () => {
    const published = await publishSkill(as('author'), { source: { kind: 'skill-md', skillMd: md('gated-skill', '# Gated\n') } });
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    const next = { source: { kind: 'skill-md' as const, skillMd: md('gated-skill', '# Gated, better\n') } };
    await expect(publishSkill(as('author'), next)).rejects.toMatchObject({ code: 'conflict', details: { reason: 'review-required' } });
    await expect(forkSkill(as('other'), { slug: 'gated-skill', name: 'gated-skill-mine' })).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'review-required' },
    });
    // Publishing identical content adds nothing, so it is not refused.
    const same = await publishSkill(as('author'), { source: { kind: 'skill-md', skillMd: md('gated-skill', '# Gated\n') } });
    expect(same).toMatchObject({ created: false, version: { id: published.version.id } });
    // Switching approval off again lets direct publishing through.
    await updateReviewSettings(as('admin'), { reviewMode: 'direct', autoApproveThreshold: null });
    await expect(publishSkill(as('author'), next)).resolves.toMatchObject({ created: true });
  });
});
