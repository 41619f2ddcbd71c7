import { integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A search result someone opened: the query, the skill and its 1-based position. */
export const searchClicks = pgTable('search_clicks', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  queryId: uuid('query_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  position: integer('position').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SearchClick = typeof searchClicks.$inferSelect;
