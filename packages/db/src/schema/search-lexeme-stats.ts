import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

/**
 * How many of a tenant's search documents contain each lexeme (lexeme '' counts the documents):
 * the document frequencies behind IDF ranking. Kept in step by the search trigger (migration 0004).
 */
export const searchLexemeStats = pgTable(
  'search_lexeme_stats',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    lexeme: text('lexeme').notNull(),
    ndoc: integer('ndoc').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.lexeme] })],
);

export type SearchLexemeStat = typeof searchLexemeStats.$inferSelect;
