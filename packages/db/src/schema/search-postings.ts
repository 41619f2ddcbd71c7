import { pgTable, real, text, uuid } from 'drizzle-orm/pg-core';

/**
 * The keyword index: one row per (skill, lexeme) with the lexeme's weight in that skill (name
 * and tags 1, description 0.5, body 0.2, plus a little for repetition). Written only by the
 * search trigger (migration 0004); read by equality on (tenant, lexeme), which row-level security
 * lets use an index.
 */
export const searchPostings = pgTable('search_postings', {
  tenantId: uuid('tenant_id').notNull(),
  lexeme: text('lexeme').notNull(),
  skillId: uuid('skill_id').notNull(),
  weight: real('weight').notNull(),
});

export type SearchPosting = typeof searchPostings.$inferSelect;
