import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

export const searchSources = ['portal', 'api', 'mcp', 'cli'] as const;
export type SearchSource = (typeof searchSources)[number];

/** One search, for admin analytics: the sanitised query (no user id), its result count, whether it degraded. */
export const searchQueries = pgTable('search_queries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  query: text('query').notNull(),
  /** Lowercased with spaces collapsed: the grouping key of "top queries". */
  normalized: text('normalized').notNull(),
  resultCount: integer('result_count').notNull(),
  degraded: boolean('degraded').notNull().default(false),
  source: text('source', { enum: searchSources }).notNull().default('portal'),
  latencyMs: integer('latency_ms'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SearchQuery = typeof searchQueries.$inferSelect;
