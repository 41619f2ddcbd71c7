import {
  aiReviews,
  and,
  desc,
  eq,
  inArray,
  skillSubmissionRevisions,
  skillSubmissions,
  users,
  withTenant,
  type AiReview,
  type SubmissionStatus,
  type Transaction,
} from '@everyskill/db';
import type { Ctx } from '../context';
import { toAiReviewView } from '../ai-review/ai-review-views';
import { requirePerson } from '../skills/skill-access';
import { requireReviewer } from './reviewer-access';
import type { SubmissionSummary } from './submission-views';

/** Submissions waiting for a decision, oldest first, with their AI scores (admins and reviewers). */
export async function listReviewQueue(ctx: Ctx): Promise<SubmissionSummary[]> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireReviewer(tx, ctx, 'see the review queue');
    return loadSummaries(tx, { statuses: ['in_review'], oldestFirst: true });
  });
}

/** The actor's own submissions, newest first. */
export async function listMySubmissions(ctx: Ctx): Promise<SubmissionSummary[]> {
  const me = requirePerson(ctx, 'have submissions');
  return withTenant(ctx.db, ctx.tenantId, (tx) => loadSummaries(tx, { authorUserId: me }));
}

async function loadSummaries(
  tx: Transaction,
  filter: { statuses?: SubmissionStatus[]; authorUserId?: string; oldestFirst?: boolean },
): Promise<SubmissionSummary[]> {
  const conditions = [
    filter.statuses ? inArray(skillSubmissions.status, filter.statuses) : undefined,
    filter.authorUserId ? eq(skillSubmissions.authorUserId, filter.authorUserId) : undefined,
  ];
  const rows = await tx
    .select({ submission: skillSubmissions, email: users.email, name: users.name })
    .from(skillSubmissions)
    .innerJoin(users, eq(users.id, skillSubmissions.authorUserId))
    .where(and(...conditions))
    .orderBy(filter.oldestFirst ? skillSubmissions.updatedAt : desc(skillSubmissions.updatedAt))
    .limit(200);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.submission.id);
  const revisions = await tx
    .select({ id: skillSubmissionRevisions.id, submissionId: skillSubmissionRevisions.submissionId, revision: skillSubmissionRevisions.revision })
    .from(skillSubmissionRevisions)
    .where(inArray(skillSubmissionRevisions.submissionId, ids))
    .orderBy(desc(skillSubmissionRevisions.revision));
  const latest = new Map<string, { id: string; revision: number }>();
  for (const r of revisions) if (!latest.has(r.submissionId)) latest.set(r.submissionId, r);
  const revisionIds = [...latest.values()].map((r) => r.id);
  const reviews = revisionIds.length
    ? await tx.select().from(aiReviews).where(inArray(aiReviews.submissionRevisionId, revisionIds)).orderBy(desc(aiReviews.createdAt))
    : [];
  const reviewOf = new Map<string, AiReview>();
  for (const r of reviews) if (r.submissionRevisionId && !reviewOf.has(r.submissionRevisionId)) reviewOf.set(r.submissionRevisionId, r);
  return rows.map(({ submission, email, name }) => {
    const revision = latest.get(submission.id);
    const review = revision ? reviewOf.get(revision.id) : undefined;
    return {
      id: submission.id,
      slug: submission.slug,
      status: submission.status,
      isNewSkill: submission.baseVersionId === null && submission.publishedVersionId === null && submission.skillId === null,
      author: { id: submission.authorUserId, email, name },
      revision: revision?.revision ?? 0,
      updatedAt: new Date(submission.updatedAt),
      aiReview: review ? toAiReviewView(review) : null,
    };
  });
}
