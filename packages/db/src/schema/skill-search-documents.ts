import { customType, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL's tsvector, read and written as its text form. */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/**
 * What keyword search reads for one skill: weighted full text (name and tags A, description B,
 * the start of the body C), the name and tags for trigram typo tolerance, and an excerpt for
 * snippets. A trigger on skills keeps it current (migration 0004), so no service writes it.
 */
export const skillSearchDocuments = pgTable('skill_search_documents', {
  skillId: uuid('skill_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  versionId: uuid('version_id'),
  trgmText: text('trgm_text').notNull(),
  searchTsv: tsvector('search_tsv').notNull(),
  excerpt: text('excerpt').notNull().default(''),
  indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillSearchDocument = typeof skillSearchDocuments.$inferSelect;
