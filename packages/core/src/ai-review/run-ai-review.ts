import { AiCallError, costOf, createClaudeClient, readAiConfig, reviewSkill, type ClaudeClient, type ReviewSubject } from '@everyskill/ai';
import { PermanentJobError, type JobContext } from '@everyskill/jobs';
import { aiReviews, eq, skillSubmissionRevisions, skillVersions, sql, withTenant, type AiReview } from '@everyskill/db';
import type { z } from 'zod';
import type { aiReviewPayload } from './ai-review-job';
import { AI_OFF_MESSAGE } from './queue-ai-review';

export interface RunAiReviewDeps {
  /** The Claude client; by default built from the environment (null when AI is off). */
  client?: ClaudeClient | null;
  /** Called after a submission revision's review completes (auto-approval). */
  afterRevisionReviewed?: (tenantId: string, review: AiReview) => Promise<void>;
}

/**
 * The ai-review.run handler: sends the subject to Claude as delimited data, validates the answer
 * and stores it. A retryable failure (429, 5xx, malformed answer) is shown as "retrying" and
 * thrown for the queue to retry with backoff; on the last attempt the review is marked failed
 * with the reason, visibly.
 */
export async function runAiReview(
  payload: z.output<typeof aiReviewPayload>,
  job: JobContext,
  deps: RunAiReviewDeps = {},
): Promise<{ status: string }> {
  const { tenantId, reviewId } = payload;
  const loaded = await withTenant(job.db, tenantId, async (tx) => {
    const [review] = await tx.select().from(aiReviews).where(eq(aiReviews.id, reviewId));
    if (!review) return null;
    const subject = await loadSubject(tx, review);
    return { review, subject };
  });
  if (!loaded) throw new PermanentJobError(`AI review ${reviewId} no longer exists`);
  // A failed review runs again when an admin retries its job; a completed one is never redone.
  if (loaded.review.status === 'completed') return { status: loaded.review.status };
  if (!loaded.subject) {
    await markFailed(job, tenantId, reviewId, 'the reviewed version no longer exists');
    throw new PermanentJobError('the reviewed version no longer exists');
  }

  const config = readAiConfig();
  const client = deps.client === undefined ? createClaudeClient(config) : deps.client;
  if (!client) {
    await markFailed(job, tenantId, reviewId, AI_OFF_MESSAGE);
    throw new PermanentJobError(AI_OFF_MESSAGE);
  }

  await withTenant(job.db, tenantId, (tx) =>
    tx.update(aiReviews).set({ status: 'running', attempts: job.attempt, completedAt: null, updatedAt: new Date() }).where(eq(aiReviews.id, reviewId)),
  );

  let outcome: Awaited<ReturnType<typeof reviewSkill>>;
  try {
    outcome = await reviewSkill(client, loaded.review.model, loaded.subject, job.signal);
  } catch (error) {
    const failure = error instanceof AiCallError ? error : new AiCallError('connection', (error as Error).message, true);
    // An answered but unusable call (a malformed answer) was billed: its tokens count towards the review's cost.
    const spent = failure.usage ? spendOf(config.pricing, failure.usage) : {};
    const final = job.isFinalAttempt || !failure.retryable;
    if (final) {
      const message = `${failure.message} (gave up after ${job.attempt} attempt${job.attempt === 1 ? '' : 's'})`;
      await markFailed(job, tenantId, reviewId, message, spent);
      throw new PermanentJobError(message, { cause: failure });
    }
    await withTenant(job.db, tenantId, (tx) =>
      tx
        .update(aiReviews)
        .set({ status: 'queued', error: `attempt ${job.attempt} failed: ${failure.message}; retrying`, updatedAt: new Date(), ...spent })
        .where(eq(aiReviews.id, reviewId)),
    );
    throw failure;
  }

  const { review } = outcome;
  const [stored] = await withTenant(job.db, tenantId, (tx) =>
    tx
      .update(aiReviews)
      .set({
        status: 'completed',
        model: outcome.model,
        qualityScore: review.quality.score,
        clarityScore: review.clarity.score,
        completenessScore: review.completeness.score,
        result: review,
        error: null,
        attempts: job.attempt,
        // Every attempt's tokens and cost, not only the last one's.
        ...spendOf(config.pricing, outcome),
        latencyMs: outcome.latencyMs,
        completedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(aiReviews.id, reviewId))
      .returning(),
  );
  if (stored?.submissionRevisionId && deps.afterRevisionReviewed) {
    // The review itself is done; a failed follow-up (auto-approval) leaves the submission to a person.
    await deps.afterRevisionReviewed(tenantId, stored).catch((error: unknown) =>
      console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: 'auto-approval failed', tenantId, reviewId, error: (error as Error).message })),
    );
  }
  return { status: 'completed' };
}

type Tx = Parameters<Parameters<typeof withTenant>[2]>[0];

async function loadSubject(tx: Tx, review: AiReview): Promise<ReviewSubject | null> {
  if (review.versionId) {
    const [version] = await tx
      .select({ skillMd: skillVersions.skillMd, files: skillVersions.files })
      .from(skillVersions)
      .where(eq(skillVersions.id, review.versionId));
    return version ? { skillMd: version.skillMd, files: version.files.map((f) => ({ path: f.path, size: f.size })) } : null;
  }
  const [revision] = await tx
    .select({ skillMd: skillSubmissionRevisions.skillMd })
    .from(skillSubmissionRevisions)
    .where(eq(skillSubmissionRevisions.id, review.submissionRevisionId!));
  return revision ? { skillMd: revision.skillMd, files: [{ path: 'SKILL.md', size: Buffer.byteLength(revision.skillMd) }] } : null;
}

async function markFailed(job: JobContext, tenantId: string, reviewId: string, message: string, spent: Spend = {}): Promise<void> {
  await withTenant(job.db, tenantId, (tx) =>
    tx
      .update(aiReviews)
      .set({ status: 'failed', error: message, attempts: sql`greatest(${aiReviews.attempts}, ${job.attempt})`, updatedAt: new Date(), completedAt: new Date(), ...spent })
      .where(eq(aiReviews.id, reviewId)),
  );
}

type SQL = ReturnType<typeof sql>;
type Spend = { inputTokens?: SQL; outputTokens?: SQL; costUsd?: SQL };

/** Column updates that add one call's tokens and cost to what the review's earlier attempts spent. */
function spendOf(pricing: ReturnType<typeof readAiConfig>['pricing'], usage: { model: string; inputTokens: number; outputTokens: number }): Spend {
  const cost = costOf(pricing, usage.model, usage);
  return {
    inputTokens: sql`coalesce(${aiReviews.inputTokens}, 0) + ${usage.inputTokens}`,
    outputTokens: sql`coalesce(${aiReviews.outputTokens}, 0) + ${usage.outputTokens}`,
    ...(cost === null ? {} : { costUsd: sql`coalesce(${aiReviews.costUsd}, 0) + ${cost}` }),
  };
}
