import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys';
import { tenants } from './tenants';
import { users } from './users';

export const cliDeviceStatuses = ['pending', 'approved', 'denied', 'redeemed'] as const;
export type CliDeviceStatus = (typeof cliDeviceStatuses)[number];

/**
 * One sign-in of the `everyskill` command (device authorization, RFC 8628 shape): asked for on a
 * tenant's host, approved by a member, redeemed once for an API key. The device code is stored hashed.
 */
export const cliDeviceAuthorizations = pgTable('cli_device_authorizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  deviceCodeHash: text('device_code_hash').notNull().unique(),
  userCode: text('user_code').notNull(),
  clientName: text('client_name').notNull(),
  status: text('status', { enum: cliDeviceStatuses }).notNull().default('pending'),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
  intervalSeconds: integer('interval_seconds').notNull().default(5),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CliDeviceAuthorization = typeof cliDeviceAuthorizations.$inferSelect;
