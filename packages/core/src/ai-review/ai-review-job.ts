import { readAiConfig } from '@everyskill/ai';
import { defineJobType, type RetryPolicy } from '@everyskill/jobs';
import type { AiReview } from '@everyskill/db';
import { z } from 'zod';

/** Retries of AI jobs (rate limits, outages, malformed answers), from AI_RETRY_LIMIT / AI_RETRY_DELAY_SECONDS. */
export function aiJobRetryPolicy(expireInSeconds: number): Partial<RetryPolicy> {
  const config = readAiConfig();
  return { retryLimit: config.retryLimit, retryDelaySeconds: config.retryDelaySeconds, retryBackoff: true, expireInSeconds };
}

export const aiReviewPayload = z.object({ tenantId: z.uuid(), reviewId: z.uuid() });

/** How long one attempt of an AI review may run before the queue gives up on it. */
export const AI_REVIEW_EXPIRE_SECONDS = 300;

/** Claude reviews one skill version or submission revision (the ai_reviews row names which). */
export function aiReviewJobType() {
  return defineJobType({ name: 'ai-review.run', payload: aiReviewPayload, retry: aiJobRetryPolicy(AI_REVIEW_EXPIRE_SECONDS) });
}

export const ABANDONED_REVIEW_MESSAGE = 'the review stopped without an answer: its worker ended during the last attempt';

/**
 * A review left "running" by a worker that died on its last attempt: the queue has given up on
 * the job, so nothing will ever finish the row. Earlier attempts are not abandoned (the queue
 * retries them, and the retry updates the row); nor is a last attempt still within its time.
 */
export function isAbandonedReview(row: Pick<AiReview, 'status' | 'attempts' | 'updatedAt'>, now = new Date()): boolean {
  if (row.status !== 'running') return false;
  const retryLimit = aiJobRetryPolicy(AI_REVIEW_EXPIRE_SECONDS).retryLimit ?? 0;
  const deadline = new Date(row.updatedAt).getTime() + (AI_REVIEW_EXPIRE_SECONDS + 60) * 1000;
  return row.attempts > retryLimit && deadline < now.getTime();
}
