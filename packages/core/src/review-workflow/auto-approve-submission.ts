import { desc, eq, skillSubmissionRevisions, skillSubmissions, withTenant, type AiReview, type Database, type Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import type { SkillBlobStore } from '../skills/skill-blob-store';
import { publishRevision, recordDecision } from './decide-submission';
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
    const settings = await readReviewSettings(tx, tenantId);
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

  // Decided in the publishing transaction, under the submission's lock: if a person decided, or the
  // author revised or withdrew, in the meantime, nothing is published and the review stands as is.
  let decided = false;
  const record = async (tx: Transaction, published: Parameters<typeof recordDecision>[2]['published']) => {
    const [current] = await tx.select().from(skillSubmissions).where(eq(skillSubmissions.id, candidate.submission.id)).for('update');
    const [latest] = await tx
      .select({ id: skillSubmissionRevisions.id })
      .from(skillSubmissionRevisions)
      .where(eq(skillSubmissionRevisions.submissionId, candidate.submission.id))
      .orderBy(desc(skillSubmissionRevisions.revision))
      .limit(1);
    if (current?.status !== 'in_review' || latest?.id !== candidate.revision.id) throw new SubmissionMovedOn();
    await recordDecision(tx, ctx, {
      submission: current,
      revision: candidate.revision,
      decision: 'auto_approved',
      actorUserId: null,
      comment: `All AI review scores are at least ${candidate.threshold} (quality ${review.qualityScore}, clarity ${review.clarityScore}, completeness ${review.completenessScore}).`,
      published,
    });
    decided = true;
  };
  try {
    const published = await publishRevision(ctx, deps.blobs, candidate.submission, candidate.revision, record);
    if (!decided) await withTenant(deps.db, tenantId, (tx) => record(tx, published));
  } catch (error) {
    if (error instanceof SubmissionMovedOn) return false;
    throw error;
  }
  return true;
}

/** The submission was decided, revised or withdrawn while the auto-approval ran. */
class SubmissionMovedOn extends Error {}
