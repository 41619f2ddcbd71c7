import { customType, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const embeddingProviders = ['voyage', 'ollama', 'builtin'] as const;
export type EmbeddingProviderName = (typeof embeddingProviders)[number];

/** pgvector's `vector` without a fixed dimension: providers differ, each row states its own. */
export const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => (typeof value === 'string' ? (JSON.parse(value) as number[]) : (value as number[])),
});

/**
 * A skill's embedding from one provider and model. Rows of an older model stay until a re-embed
 * replaces them; search reads only the configured provider and model.
 */
export const skillEmbeddings = pgTable(
  'skill_embeddings',
  {
    tenantId: uuid('tenant_id').notNull(),
    skillId: uuid('skill_id').notNull(),
    provider: text('provider', { enum: embeddingProviders }).notNull(),
    model: text('model').notNull(),
    dimensions: integer('dimensions').notNull(),
    /** sha256 of the embedded text: an unchanged skill is not embedded again. */
    inputSha256: text('input_sha256').notNull(),
    versionId: uuid('version_id'),
    embedding: anyVector('embedding').notNull(),
    embeddedAt: timestamp('embedded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.skillId, t.provider, t.model] })],
);

export type SkillEmbedding = typeof skillEmbeddings.$inferSelect;
