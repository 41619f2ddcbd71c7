import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

/**
 * A domain that belongs to a tenant: `email` domains decide who may sign in,
 * `vanity` hosts serve the tenant's portal once verified.
 */
export const tenantDomains = pgTable('tenant_domains', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** Unique among verified rows (and within a tenant): a pending claim blocks nobody (migration 0010). */
  domain: text('domain').notNull(),
  kind: text('kind', { enum: ['email', 'vanity'] }).notNull().default('email'),
  verificationToken: text('verification_token'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TenantDomain = typeof tenantDomains.$inferSelect;
