import type { AiReview, AiReviewResult, AiReviewStatus } from '@everyskill/db';
import { ABANDONED_REVIEW_MESSAGE, isAbandonedReview } from './ai-review-job';

/** An AI review as the portal shows it. */
export interface AiReviewView {
  id: string;
  status: AiReviewStatus;
  model: string;
  contentSha256: string;
  scores: { quality: number; clarity: number; completeness: number } | null;
  result: AiReviewResult | null;
  /** Why the last attempt failed (a failed review), or why it is being retried (a queued one). */
  error: string | null;
  attempts: number;
  hidden: boolean;
  costUsd: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

export function toAiReviewView(row: AiReview): AiReviewView {
  // Shown as what it is (failed, with the reason), so people can ask for the review again.
  if (isAbandonedReview(row)) row = { ...row, status: 'failed', error: ABANDONED_REVIEW_MESSAGE };
  const complete = row.qualityScore !== null && row.clarityScore !== null && row.completenessScore !== null;
  return {
    id: row.id,
    status: row.status,
    model: row.model,
    contentSha256: row.contentSha256,
    scores: complete ? { quality: row.qualityScore!, clarity: row.clarityScore!, completeness: row.completenessScore! } : null,
    result: row.result ?? null,
    error: row.error,
    attempts: row.attempts,
    hidden: row.hidden,
    costUsd: row.costUsd === null ? null : Number(row.costUsd),
    createdAt: new Date(row.createdAt),
    completedAt: row.completedAt ? new Date(row.completedAt) : null,
  };
}
