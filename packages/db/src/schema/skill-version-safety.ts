import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const safetyVerdictValues = ['clean', 'warn', 'blocked'] as const;

/**
 * The safety scan of a published version (rules version, verdict, findings) and an admin's
 * override of a blocked verdict. Findings are the scanner's `SafetyFinding` objects.
 */
export const skillVersionSafety = pgTable('skill_version_safety', {
  versionId: uuid('version_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  rulesVersion: text('rules_version').notNull(),
  verdict: text('verdict', { enum: safetyVerdictValues }).notNull(),
  findings: jsonb('findings').$type<Array<Record<string, unknown>>>().notNull().default([]),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
  overrideReason: text('override_reason'),
  overriddenBy: uuid('overridden_by').references(() => users.id, { onDelete: 'set null' }),
  overriddenAt: timestamp('overridden_at', { withTimezone: true }),
  /** Published under the workspace's "hold for review" policy with a blocking finding; released by an approval (the override columns). */
  heldAt: timestamp('held_at', { withTimezone: true }),
});

export type SkillVersionSafety = typeof skillVersionSafety.$inferSelect;
