import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const reviewDecisionKinds = ['submitted', 'revised', 'approved', 'auto_approved', 'changes_requested', 'rejected', 'withdrawn'] as const;
export type ReviewDecisionKind = (typeof reviewDecisionKinds)[number];

/** Every step of a submission's review, insert-only: who decided what, on which revision. */
export const reviewDecisions = pgTable('review_decisions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  submissionId: uuid('submission_id').notNull(),
  revisionId: uuid('revision_id').notNull(),
  decision: text('decision', { enum: reviewDecisionKinds }).notNull(),
  actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
  comment: text('comment'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ReviewDecision = typeof reviewDecisions.$inferSelect;
