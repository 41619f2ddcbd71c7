import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** A withdrawn version (versions are immutable, so this is its own row): never the latest, refused to new installs. */
export const skillVersionWithdrawals = pgTable('skill_version_withdrawals', {
  versionId: uuid('version_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  reason: text('reason').notNull(),
  withdrawnBy: uuid('withdrawn_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillVersionWithdrawal = typeof skillVersionWithdrawals.$inferSelect;
