import {
  and,
  eq,
  inArray,
  isNull,
  skillEmbeddings,
  skills,
  skillVersions,
  sql,
  withTenant,
  type Database,
} from '@everyskill/db';
import type { SearchRuntime } from './search-runtime';
import { sha256Hex, skillEmbeddingInput } from './skill-embedding-input';

export interface EmbedSkillsResult {
  embedded: number;
  unchanged: number;
  /** Deleted or unknown skills (nothing to embed). */
  gone: number;
}

/**
 * Embeds the given skills of one tenant with the runtime's model and stores the vectors. Skills
 * whose text has not changed since their last embedding with this model are skipped. The embedder
 * is called outside any transaction, so no connection waits on the network.
 */
export async function embedSkills(
  db: Database,
  runtime: SearchRuntime,
  tenantId: string,
  skillIds: readonly string[],
  signal?: AbortSignal,
): Promise<EmbedSkillsResult> {
  const { embedder } = runtime;
  if (skillIds.length === 0) return { embedded: 0, unchanged: 0, gone: 0 };
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: skills.id,
        name: skills.name,
        description: skills.description,
        tags: skills.tags,
        versionId: skills.latestVersionId,
        skillMd: skillVersions.skillMd,
        existingHash: skillEmbeddings.inputSha256,
      })
      .from(skills)
      .leftJoin(skillVersions, eq(skillVersions.id, skills.latestVersionId))
      .leftJoin(
        skillEmbeddings,
        and(
          eq(skillEmbeddings.skillId, skills.id),
          eq(skillEmbeddings.provider, embedder.provider),
          eq(skillEmbeddings.model, embedder.model),
          // A vector of another length (the model's dimensions were changed) is no vector of this model.
          eq(skillEmbeddings.dimensions, embedder.dimensions),
        ),
      )
      .where(and(inArray(skills.id, [...skillIds]), isNull(skills.deletedAt))),
  );
  const work = rows
    .map((row) => {
      const input = skillEmbeddingInput({ ...row, skillMd: row.skillMd ?? '' });
      return { row, input, hash: sha256Hex(input) };
    })
    .filter((w) => w.hash !== w.row.existingHash);
  const result: EmbedSkillsResult = {
    embedded: work.length,
    unchanged: rows.length - work.length,
    gone: skillIds.length - rows.length,
  };
  if (work.length === 0) return result;

  const vectors = await runtime.embedDocuments(
    work.map((w) => w.input),
    signal,
  );
  await withTenant(db, tenantId, async (tx) => {
    for (const [i, w] of work.entries()) {
      const values = {
        tenantId,
        skillId: w.row.id,
        provider: embedder.provider,
        model: embedder.model,
        dimensions: embedder.dimensions,
        inputSha256: w.hash,
        versionId: w.row.versionId,
        embedding: vectors[i]!,
        embeddedAt: new Date(),
      };
      await tx
        .insert(skillEmbeddings)
        .values(values)
        .onConflictDoUpdate({
          target: [skillEmbeddings.skillId, skillEmbeddings.provider, skillEmbeddings.model],
          set: {
            dimensions: values.dimensions,
            inputSha256: values.inputSha256,
            versionId: values.versionId,
            embedding: values.embedding,
            embeddedAt: sql`now()`,
          },
        });
    }
  });
  return result;
}
