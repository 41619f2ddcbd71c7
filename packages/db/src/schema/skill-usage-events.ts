import { bigserial, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { eventSources } from './skill-feedback';
import { users } from './users';

export const usageKinds = ['install', 'use'] as const;
export type UsageKind = (typeof usageKinds)[number];

/**
 * An install (download, CLI/MCP fetch) or a use reported by an agent. Immutable; a retried report
 * carrying the same idempotency key is stored once.
 */
export const skillUsageEvents = pgTable('skill_usage_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  versionId: uuid('version_id'),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  apiKeyId: uuid('api_key_id'),
  kind: text('kind', { enum: usageKinds }).notNull(),
  source: text('source', { enum: eventSources }).notNull(),
  idempotencyKey: text('idempotency_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillUsageEvent = typeof skillUsageEvents.$inferSelect;
