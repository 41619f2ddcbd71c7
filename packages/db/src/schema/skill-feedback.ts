import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const feedbackKinds = ['thumbs_up', 'thumbs_down', 'suggestion', 'bug_report'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];
export const eventSources = ['portal', 'api', 'mcp', 'cli'] as const;
export type EventSource = (typeof eventSources)[number];

/**
 * Feedback on a skill: one thumb per person (changing it moves the vote), any number of
 * suggestions and bug reports. The body has been through sanitizePayload (secrets redacted).
 */
export const skillFeedback = pgTable('skill_feedback', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  versionId: uuid('version_id'),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  kind: text('kind', { enum: feedbackKinds }).notNull(),
  body: text('body'),
  source: text('source', { enum: eventSources }).notNull().default('portal'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillFeedback = typeof skillFeedback.$inferSelect;
