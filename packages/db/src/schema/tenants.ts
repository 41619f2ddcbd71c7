import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A company. Global table: readable by every request (host resolution), writable only under its own tenant context. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  logoUrl: text('logo_url'),
  status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
  apiKeyExpiryDays: integer('api_key_expiry_days').notNull().default(90),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Tenant = typeof tenants.$inferSelect;
export type NewTenant = typeof tenants.$inferInsert;
