import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per live skill for search: the start of its body (for snippets) and the version the
 * index reflects. A trigger on skills keeps it and the postings current (migration 0004).
 */
export const skillSearchDocuments = pgTable('skill_search_documents', {
  skillId: uuid('skill_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  versionId: uuid('version_id'),
  excerpt: text('excerpt').notNull().default(''),
  indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillSearchDocument = typeof skillSearchDocuments.$inferSelect;
