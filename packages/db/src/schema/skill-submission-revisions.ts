import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** One revision of a submission's SKILL.md; immutable (a trigger refuses UPDATE). */
export const skillSubmissionRevisions = pgTable('skill_submission_revisions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  submissionId: uuid('submission_id').notNull(),
  revision: integer('revision').notNull(),
  skillMd: text('skill_md').notNull(),
  contentSha256: text('content_sha256').notNull(),
  notes: text('notes'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillSubmissionRevision = typeof skillSubmissionRevisions.$inferSelect;
