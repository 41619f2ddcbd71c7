import { desc, eq, skillSubmissionRevisions, skillSubmissions, withTenant, type AiReview, type Database } from '@everyskill/db';
import type { Ctx } from '../context';
import { isAppError } from '../errors';
import type { SkillBlobStore } from '../skills/skill-blob-store';
import { approveRevision } from './decide-submission';
import { readReviewSettings } from './review-settings';

/**
 * Called when Claude finishes reviewing a submission's revision: with an auto-approve threshold
 * set and every score at or above it, the revision is published and the submission approved,
 * recorded as the system's decision. Anything else leaves it for a person.
 */
export async function autoApproveIfScoresAllow(
  deps: { db: Database; blobs: SkillBlobStore },
  tenantId: string,
  review: AiReview,
): Promise<boolean> {
  if (!review.submissionRevisionId || review.status !== 'completed') return false;
  const ctx: Ctx = { tenantId, db: deps.db, actor: { kind: 'system', label: 'auto-approval' } };
  const candidate = await withTenant(deps.db, tenantId, async (tx) => {
    const settings = await readReviewSettings(tx);
    const threshold = settings.autoApproveThreshold;
    if (settings.reviewMode !== 'approval' || threshold === null) return null;
    const scores = [review.qualityScore, review.clarityScore, review.completenessScore];
    if (scores.some((s) => s === null || s < threshold)) return null;
    const [revision] = await tx.select().from(skillSubmissionRevisions).where(eq(skillSubmissionRevisions.id, review.submissionRevisionId!));
    if (!revision) return null;
    const [submission] = await tx.select().from(skillSubmissions).where(eq(skillSubmissions.id, revision.submissionId));
    const [latest] = await tx
      .select({ id: skillSubmissionRevisions.id })
      .from(skillSubmissionRevisions)
      .where(eq(skillSubmissionRevisions.submissionId, revision.submissionId))
      .orderBy(desc(skillSubmissionRevisions.revision))
      .limit(1);
    // Only the revision under review right now, and only while nobody has decided.
    if (!submission || submission.status !== 'in_review' || latest?.id !== revision.id) return null;
    return { submission, revision, threshold };
  });
  if (!candidate) return false;

  // If a person decided, or the author revised or withdrew, in the meantime, nothing is published
  // and the review stands as is.
  try {
    await approveRevision(ctx, deps.blobs, candidate.submission, candidate.revision, {
      decision: 'auto_approved',
      actorUserId: null,
      comment: `All AI review scores are at least ${candidate.threshold} (quality ${review.qualityScore}, clarity ${review.clarityScore}, completeness ${review.completenessScore}).`,
    });
  } catch (error) {
    if (isAppError(error) && (error.details as { reason?: string } | undefined)?.reason === 'moved-on') return false;
    throw error;
  }
  return true;
}
