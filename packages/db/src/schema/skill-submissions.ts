import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const submissionStatuses = ['in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

/** A skill, or a new version of one, waiting for approval before it is published. */
export const skillSubmissions = pgTable('skill_submissions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id'),
  slug: text('slug').notNull(),
  authorUserId: uuid('author_user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  status: text('status', { enum: submissionStatuses }).notNull().default('in_review'),
  baseVersionId: uuid('base_version_id'),
  publishedVersionId: uuid('published_version_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillSubmission = typeof skillSubmissions.$inferSelect;
