import { readAiConfig } from '@everyskill/ai';
import { defineJobType, type RetryPolicy } from '@everyskill/jobs';
import { z } from 'zod';

/** Retries of AI jobs (rate limits, outages, malformed answers), from AI_RETRY_LIMIT / AI_RETRY_DELAY_SECONDS. */
export function aiJobRetryPolicy(expireInSeconds: number): Partial<RetryPolicy> {
  const config = readAiConfig();
  return { retryLimit: config.retryLimit, retryDelaySeconds: config.retryDelaySeconds, retryBackoff: true, expireInSeconds };
}

export const aiReviewPayload = z.object({ tenantId: z.uuid(), reviewId: z.uuid() });

/** Claude reviews one skill version or submission revision (the ai_reviews row names which). */
export function aiReviewJobType() {
  return defineJobType({ name: 'ai-review.run', payload: aiReviewPayload, retry: aiJobRetryPolicy(300) });
}
