import { readAiConfig } from '@everyskill/ai';
import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { aiReviews, and, desc, eq, inArray, type AiReview, type Transaction } from '@everyskill/db';
import { AppError } from '../errors';
import { ABANDONED_REVIEW_MESSAGE, aiReviewJobType, isAbandonedReview } from './ai-review-job';

export type AiReviewSubject =
  | { kind: 'version'; skillId: string; versionId: string; contentSha256: string }
  | { kind: 'revision'; skillId: string | null; revisionId: string; contentSha256: string };

/** What a person sees when AI features are off. */
export const AI_OFF_MESSAGE = 'AI review is off: this server has no ANTHROPIC_API_KEY configured.';

/**
 * Queues a review of the subject inside the caller's transaction: an ai_reviews row (queued) and
 * its job commit together. A review already waiting or running for the subject is returned instead.
 */
export async function queueAiReview(
  tx: Transaction,
  input: { tenantId: string; subject: AiReviewSubject; requestedBy: string | null },
  queue?: JobQueue,
): Promise<AiReview> {
  const config = readAiConfig();
  if (!config.enabled) throw new AppError('unavailable', AI_OFF_MESSAGE);
  const { subject } = input;
  const open = await tx
    .select()
    .from(aiReviews)
    .where(
      and(
        subject.kind === 'version' ? eq(aiReviews.versionId, subject.versionId) : eq(aiReviews.submissionRevisionId, subject.revisionId),
        inArray(aiReviews.status, ['queued', 'running']),
      ),
    );
  if (open[0] && !isAbandonedReview(open[0])) return open[0];
  if (open[0]) {
    // Its worker died on the last attempt and the queue gave up: close it, and review afresh.
    await tx
      .update(aiReviews)
      .set({ status: 'failed', error: ABANDONED_REVIEW_MESSAGE, updatedAt: new Date(), completedAt: new Date() })
      .where(eq(aiReviews.id, open[0].id));
  }

  // A re-review keeps the author's choice to hide reviews of this subject.
  const [previous] = await tx
    .select({ hidden: aiReviews.hidden })
    .from(aiReviews)
    .where(subject.kind === 'version' ? eq(aiReviews.versionId, subject.versionId) : eq(aiReviews.submissionRevisionId, subject.revisionId))
    .orderBy(aiReviews.createdAt)
    .limit(1);
  const [row] = await tx
    .insert(aiReviews)
    .values({
      tenantId: input.tenantId,
      skillId: subject.skillId,
      versionId: subject.kind === 'version' ? subject.versionId : null,
      submissionRevisionId: subject.kind === 'revision' ? subject.revisionId : null,
      model: config.reviewModel,
      contentSha256: subject.contentSha256,
      requestedBy: input.requestedBy,
      hidden: previous?.hidden ?? false,
    })
    .returning();
  const jobs = queue ?? (await getJobQueue());
  const jobId = await jobs.enqueue(aiReviewJobType(), { tenantId: input.tenantId, reviewId: row!.id }, { tx, singletonKey: row!.id });
  const [withJob] = await tx.update(aiReviews).set({ jobId }).where(eq(aiReviews.id, row!.id)).returning();
  return withJob!;
}

/**
 * The publish hook: queues Claude's review of a new version in the publishing transaction. A
 * version published from an approved submission adopts the completed review of that revision (the
 * same SKILL.md) instead of paying for a second one.
 * Does nothing when AI is off, and never throws: a failure is logged and the publish goes on (the
 * author can ask for a review on the skill page).
 */
export async function queueAiReviewOfNewVersion(
  tx: Transaction,
  event: { tenantId: string; skillId: string; versionId: string; contentSha256: string; publishedBy: string | null; fromRevisionId?: string },
  queue?: JobQueue,
): Promise<void> {
  try {
    // Inside the try: even a broken AI configuration must not fail the publish.
    if (!readAiConfig().enabled) return;
    // A savepoint: a failed insert must not abort the publishing transaction.
    await tx.transaction(async (savepoint) => {
      if (await adoptCompletedReview(savepoint, event)) return;
      await queueAiReview(
        savepoint,
        {
          tenantId: event.tenantId,
          subject: { kind: 'version', skillId: event.skillId, versionId: event.versionId, contentSha256: event.contentSha256 },
          requestedBy: event.publishedBy,
        },
        queue,
      );
    });
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'warn',
        time: new Date().toISOString(),
        msg: 'AI review not queued; the author can request it on the skill page',
        tenantId: event.tenantId,
        versionId: event.versionId,
        error: (error as Error).message,
      }),
    );
  }
}

/**
 * Copies the newest completed review of the revision the version was published from onto the
 * version: scores, text, model and the author's choice to hide it. No call was made for the copy,
 * so tokens and cost stay empty and AI usage is not counted twice.
 */
async function adoptCompletedReview(
  tx: Transaction,
  event: { tenantId: string; skillId: string; versionId: string; contentSha256: string; publishedBy: string | null; fromRevisionId?: string },
): Promise<boolean> {
  if (!event.fromRevisionId) return false;
  const [done] = await tx
    .select()
    .from(aiReviews)
    .where(and(eq(aiReviews.submissionRevisionId, event.fromRevisionId), eq(aiReviews.status, 'completed')))
    .orderBy(desc(aiReviews.completedAt))
    .limit(1);
  if (!done) return false;
  await tx.insert(aiReviews).values({
    tenantId: event.tenantId,
    skillId: event.skillId,
    versionId: event.versionId,
    status: 'completed',
    model: done.model,
    contentSha256: event.contentSha256,
    qualityScore: done.qualityScore,
    clarityScore: done.clarityScore,
    completenessScore: done.completenessScore,
    result: done.result,
    hidden: done.hidden,
    requestedBy: event.publishedBy,
    completedAt: done.completedAt,
  });
  return true;
}
