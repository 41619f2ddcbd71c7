import {
  aiReviews,
  asc,
  desc,
  eq,
  reviewDecisions,
  skillSubmissionRevisions,
  skillSubmissions,
  skillVersions,
  users,
  withTenant,
} from '@everyskill/db';
import { createTwoFilesPatch } from 'diff';
import { submissionIdInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { toAiReviewView } from '../ai-review/ai-review-views';
import { actorUserId, type Ctx } from '../context';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { activeRole } from './reviewer-access';
import type { SubmissionDetail } from './submission-views';

/**
 * A submission with its latest revision, the diff to the published version it changes and to the
 * previous revision, the decision history and the AI review. Its author, admins and reviewers may see it.
 */
export async function getSubmission(ctx: Ctx, input: z.input<typeof submissionIdInput>): Promise<SubmissionDetail> {
  const { submissionId } = parseInput(submissionIdInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select({ submission: skillSubmissions, email: users.email, name: users.name })
      .from(skillSubmissions)
      .innerJoin(users, eq(users.id, skillSubmissions.authorUserId))
      .where(eq(skillSubmissions.id, submissionId));
    const role = await activeRole(tx, ctx);
    const isReviewer = role === 'admin' || role === 'reviewer' || role === 'system';
    const me = actorUserId(ctx.actor);
    if (!row || (!isReviewer && row.submission.authorUserId !== me)) throw notFound('that submission');
    const { submission } = row;

    const revisions = await tx
      .select()
      .from(skillSubmissionRevisions)
      .where(eq(skillSubmissionRevisions.submissionId, submission.id))
      .orderBy(desc(skillSubmissionRevisions.revision));
    const current = revisions[0];
    if (!current) throw notFound('a revision of that submission');
    const previous = revisions[1];

    const [base] = submission.baseVersionId
      ? await tx.select({ version: skillVersions.version, skillMd: skillVersions.skillMd }).from(skillVersions).where(eq(skillVersions.id, submission.baseVersionId))
      : [];
    const [publishedAs] = submission.publishedVersionId
      ? await tx.select({ version: skillVersions.version }).from(skillVersions).where(eq(skillVersions.id, submission.publishedVersionId))
      : [];
    const patch = (fromLabel: string, from: string, toLabel: string, to: string) =>
      from === to ? '' : createTwoFilesPatch(`${fromLabel}/SKILL.md`, `${toLabel}/SKILL.md`, from, to, undefined, undefined, { context: 3 });
    const label = `${submission.slug}@revision-${current.revision}`;

    const history = await tx
      .select({ decision: reviewDecisions, email: users.email })
      .from(reviewDecisions)
      .leftJoin(users, eq(users.id, reviewDecisions.actorUserId))
      .where(eq(reviewDecisions.submissionId, submission.id))
      .orderBy(asc(reviewDecisions.createdAt));
    const revisionNumber = new Map(revisions.map((r) => [r.id, r.revision]));
    const [review] = await tx
      .select()
      .from(aiReviews)
      .where(eq(aiReviews.submissionRevisionId, current.id))
      .orderBy(desc(aiReviews.createdAt))
      .limit(1);

    const isAuthor = submission.authorUserId === me;
    return {
      id: submission.id,
      slug: submission.slug,
      status: submission.status,
      isNewSkill: submission.baseVersionId === null && submission.skillId === null,
      author: { id: submission.authorUserId, email: row.email, name: row.name },
      revision: current.revision,
      updatedAt: new Date(submission.updatedAt),
      aiReview: review ? toAiReviewView(review) : null,
      skillMd: current.skillMd,
      notes: current.notes,
      publishedVersion: base?.version ?? null,
      publishedAs: publishedAs?.version ?? null,
      diffToPublished: base ? patch(`${submission.slug}@${base.version}`, base.skillMd, label, current.skillMd) : '',
      diffToPreviousRevision: previous
        ? patch(`${submission.slug}@revision-${previous.revision}`, previous.skillMd, label, current.skillMd)
        : '',
      decisions: history.map(({ decision, email }) => ({
        decision: decision.decision,
        revision: revisionNumber.get(decision.revisionId) ?? 0,
        actor: email ?? 'EverySkill (automatic)',
        comment: decision.comment,
        at: new Date(decision.createdAt),
      })),
      canDecide: submission.status === 'in_review' && isReviewer && (!isAuthor || role === 'admin'),
      canRevise: isAuthor && (submission.status === 'in_review' || submission.status === 'changes_requested'),
    };
  });
}
