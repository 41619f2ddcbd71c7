import { pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';

export const reviewModes = ['direct', 'approval'] as const;
export type ReviewMode = (typeof reviewModes)[number];

/** What a blocking safety finding does: refuse the publish, or publish the version held for review. */
export const safetyBlockPolicies = ['refuse', 'hold'] as const;
export type SafetyBlockPolicy = (typeof safetyBlockPolicies)[number];

/** A tenant's review workflow: publish directly (no row) or only after approval. */
export const tenantReviewSettings = pgTable('tenant_review_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  reviewMode: text('review_mode', { enum: reviewModes }).notNull().default('direct'),
  autoApproveThreshold: smallint('auto_approve_threshold'),
  safetyBlockPolicy: text('safety_block_policy', { enum: safetyBlockPolicies }).notNull().default('refuse'),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TenantReviewSettings = typeof tenantReviewSettings.$inferSelect;
