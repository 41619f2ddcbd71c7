import { bigint, bigserial, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import type { StoredEnvelope } from './tenant-signing-keys';

export const provenanceEntryKinds = ['attestation', 'key-rotation'] as const;
export const attestationReasons = ['published', 'review', 'override', 'backfill'] as const;
export type AttestationReasonKind = (typeof attestationReasons)[number];

/** A tenant's tamper-evident log of attestations and key rotations: a hash chain, append-only by trigger. */
export const provenanceLog = pgTable('provenance_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  kind: text('kind', { enum: provenanceEntryKinds }).notNull(),
  skillId: uuid('skill_id'),
  versionId: uuid('version_id'),
  reason: text('reason', { enum: attestationReasons }),
  keyid: text('keyid').notNull(),
  envelope: jsonb('envelope').$type<StoredEnvelope>().notNull(),
  envelopeSha256: text('envelope_sha256').notNull(),
  prevHash: text('prev_hash').notNull(),
  entryHash: text('entry_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ProvenanceLogEntry = typeof provenanceLog.$inferSelect;
