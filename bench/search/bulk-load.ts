import { createHash, randomUUID } from 'node:crypto';
import type { SqlSession } from '@everyskill/db';

export interface SkillRow {
  id: string;
  versionId: string;
  name: string;
  description: string;
  category: string;
  tags: string[];
  skillMd: string;
  visibility: 'tenant' | 'private' | 'public';
  authorUserId: string | null;
}

export function skillRow(spec: Omit<SkillRow, 'id' | 'versionId' | 'visibility' | 'authorUserId'> & Partial<SkillRow>): SkillRow {
  return { id: randomUUID(), versionId: randomUUID(), visibility: 'tenant', authorUserId: null, ...spec };
}

/**
 * Inserts skills with one published version each, in batches of multi-row INSERT … SELECT FROM
 * unnest(…) (one parameter per column). The session must already carry the tenant for row-level
 * security (`app.tenant_id`).
 */
export async function insertSkills(session: SqlSession, tenantId: string, rows: SkillRow[], batch = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    await session.query(
      `INSERT INTO skills (id, tenant_id, slug, name, description, category, tags, visibility, author_user_id)
       SELECT id, $1::uuid, name, name, description, category,
              CASE WHEN tags = '' THEN '{}'::text[] ELSE string_to_array(tags, ',') END, visibility, author
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
         AS t(id, name, description, category, tags, visibility, author)`,
      [
        tenantId,
        part.map((r) => r.id),
        part.map((r) => r.name),
        part.map((r) => r.description),
        part.map((r) => r.category),
        part.map((r) => r.tags.join(',')),
        part.map((r) => r.visibility),
        part.map((r) => r.authorUserId),
      ],
    );
    const shas = part.map((r) => createHash('sha256').update(r.skillMd).digest('hex'));
    await session.query(
      `INSERT INTO skill_versions (id, tenant_id, skill_id, version, content_sha256, blob_key, skill_md, manifest, files,
                                   file_count, size_bytes, blob_size_bytes)
       SELECT id, $1::uuid, skill_id, '1.0.0', sha, $1 || '/' || sha, md,
              jsonb_build_object('name', name, 'description', description),
              jsonb_build_array(jsonb_build_object('path', 'SKILL.md', 'size', octet_length(md), 'sha256', sha, 'text', true)),
              1, octet_length(md), octet_length(md)
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t(id, skill_id, sha, md, name, description)`,
      [
        tenantId,
        part.map((r) => r.versionId),
        part.map((r) => r.id),
        shas,
        part.map((r) => r.skillMd),
        part.map((r) => r.name),
        part.map((r) => r.description),
      ],
    );
    await session.query(
      `UPDATE skills s SET latest_version_id = t.version_id
       FROM unnest($1::uuid[], $2::uuid[]) AS t(skill_id, version_id) WHERE s.id = t.skill_id`,
      [part.map((r) => r.id), part.map((r) => r.versionId)],
    );
  }
}

export interface EmbeddingRow {
  skillId: string;
  inputSha256: string;
  vector: number[];
}

/** Inserts embeddings of one model, vectors sent as pgvector text literals (7 significant digits). */
export async function insertEmbeddings(
  session: SqlSession,
  tenantId: string,
  model: { provider: string; model: string; dimensions: number },
  rows: EmbeddingRow[],
  batch = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    await session.query(
      `INSERT INTO skill_embeddings (tenant_id, skill_id, provider, model, dimensions, input_sha256, embedding)
       SELECT $1::uuid, skill_id, $2, $3, $4, sha, vec::vector
       FROM unnest($5::uuid[], $6::text[], $7::text[]) AS t(skill_id, sha, vec)`,
      [
        tenantId,
        model.provider,
        model.model,
        model.dimensions,
        part.map((r) => r.skillId),
        part.map((r) => r.inputSha256),
        part.map((r) => `[${r.vector.map((x) => Number(x.toPrecision(7))).join(',')}]`),
      ],
    );
  }
}
