import { boolean, integer, jsonb, numeric, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const aiReviewStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type AiReviewStatus = (typeof aiReviewStatuses)[number];

/** A criterion of an AI review: a 1-10 score with one or two suggestions. */
export interface AiReviewCriterion {
  score: number;
  suggestions: string[];
}

/** The validated review, as stored. */
export interface AiReviewResult {
  quality: AiReviewCriterion;
  clarity: AiReviewCriterion;
  completeness: AiReviewCriterion;
  summary: string;
  suggestedDescription: string;
}

/** Claude's review of a published version or of a submission's revision. */
export const aiReviews = pgTable('ai_reviews', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id'),
  versionId: uuid('version_id'),
  submissionRevisionId: uuid('submission_revision_id'),
  status: text('status', { enum: aiReviewStatuses }).notNull().default('queued'),
  model: text('model').notNull(),
  contentSha256: text('content_sha256').notNull(),
  qualityScore: smallint('quality_score'),
  clarityScore: smallint('clarity_score'),
  completenessScore: smallint('completeness_score'),
  result: jsonb('result').$type<AiReviewResult>(),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  inputTokens: integer('input_tokens'),
  outputTokens: integer('output_tokens'),
  costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }),
  latencyMs: integer('latency_ms'),
  hidden: boolean('hidden').notNull().default(false),
  hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
  requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
  jobId: text('job_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});

export type AiReview = typeof aiReviews.$inferSelect;
