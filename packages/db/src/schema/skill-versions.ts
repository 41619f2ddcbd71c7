import { bigint, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** One file of a published version, as listed in skill_versions.files. */
export interface SkillVersionFile {
  path: string;
  size: number;
  sha256: string;
  /** Whether the file is UTF-8 text (viewable, diffable) rather than binary. */
  text: boolean;
}

/** A validation warning kept with the version (unknown frontmatter fields and the like). */
export interface SkillVersionWarning {
  path: string;
  message: string;
}

/**
 * An immutable published version of a skill: a trigger refuses UPDATE. The bundle itself is a
 * content-addressed blob (`blob_key`); SKILL.md and the file list are kept here for reading.
 */
export const skillVersions = pgTable('skill_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  version: text('version').notNull(),
  contentSha256: text('content_sha256').notNull(),
  blobKey: text('blob_key').notNull(),
  skillMd: text('skill_md').notNull(),
  manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
  warnings: jsonb('warnings').$type<SkillVersionWarning[]>().notNull().default([]),
  files: jsonb('files').$type<SkillVersionFile[]>().notNull(),
  fileCount: integer('file_count').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  blobSizeBytes: bigint('blob_size_bytes', { mode: 'number' }).notNull(),
  notes: text('notes'),
  publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SkillVersion = typeof skillVersions.$inferSelect;
export type NewSkillVersion = typeof skillVersions.$inferInsert;
