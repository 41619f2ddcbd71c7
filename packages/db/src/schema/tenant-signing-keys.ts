import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

/** A DSSE envelope as stored (docs/provenance.md). */
export interface StoredEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * A tenant's Ed25519 signing keys: the current one (valid_until null) and every retired one, kept
 * so older attestations stay verifiable. A trigger allows no change but retiring a key once.
 */
export const tenantSigningKeys = pgTable('tenant_signing_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  keyid: text('keyid').notNull(),
  algorithm: text('algorithm', { enum: ['ed25519'] }).notNull().default('ed25519'),
  publicKeyPem: text('public_key_pem').notNull(),
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
  validUntil: timestamp('valid_until', { withTimezone: true }),
  rotation: jsonb('rotation').$type<StoredEnvelope>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TenantSigningKey = typeof tenantSigningKeys.$inferSelect;
