import type { SimilarSkill } from '@everyskill/contracts';
import { and, eq, inArray, rowsOf, skillEmbeddings, skills, sql, withTenant, type Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import { selectSummaries, toSummary } from '../skills/skill-views';
import type { EmbeddingProvider } from '@everyskill/ai/embeddings/embedding-provider';
import { getSearchRuntime, type SearchRuntime } from './search-runtime';
import { visibleSkillSql } from './visible-skill-sql';

/**
 * Nearest neighbours of a vector among the skills the actor may see (HNSW, cosine), most similar
 * first, with their similarity; `excludeIds` never come back.
 */
export async function nearestSkills(
  tx: Transaction,
  ctx: Ctx,
  embedder: EmbeddingProvider,
  vector: number[],
  options: { limit: number; minSimilarity: number; excludeIds?: string[] },
): Promise<SimilarSkill[]> {
  const dims = sql.raw(String(Math.trunc(embedder.dimensions)));
  const exclude = options.excludeIds?.length
    ? sql`AND e.skill_id NOT IN (${sql.join(options.excludeIds.map((id) => sql`${id}::uuid`), sql`, `)})`
    : sql``;
  await tx.execute(sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
  const rows = rowsOf<{ skill_id: string; distance: number }>(
    await tx.execute(sql`
      SELECT skill_id, distance FROM (
        SELECT e.skill_id, e.embedding::vector(${dims}) <=> ${`[${vector.join(',')}]`}::vector(${dims}) AS distance
        FROM skill_embeddings e JOIN skills s ON s.id = e.skill_id
        WHERE e.dimensions = ${dims} AND e.provider = ${embedder.provider} AND e.model = ${embedder.model}
          AND ${visibleSkillSql(ctx)} ${exclude}
        ORDER BY distance
        LIMIT ${options.limit}
      ) nearest
      WHERE distance <= ${1 - options.minSimilarity}
      ORDER BY distance`),
  );
  if (rows.length === 0) return [];
  const summaries = await selectSummaries(tx).where(inArray(skills.id, rows.map((r) => r.skill_id)));
  const byId = new Map(summaries.map((s) => [s.skill.id, s]));
  return rows.flatMap((r) => {
    const summary = byId.get(r.skill_id);
    return summary ? [{ skill: toSummary(summary), similarity: Math.max(0, Math.min(1, 1 - Number(r.distance))) }] : [];
  });
}

/**
 * Skills like this one (its embedding's nearest neighbours in the same tenant, itself excluded),
 * for the skill page. Empty until the skill's embedding job has run.
 */
export async function findSimilarSkills(
  ctx: Ctx,
  input: { slug: string; limit?: number },
  options: { runtime?: SearchRuntime } = {},
): Promise<SimilarSkill[]> {
  requireScope(ctx, 'skills:read');
  const { embedder } = options.runtime ?? getSearchRuntime();
  const limit = Math.min(Math.max(input.limit ?? 5, 1), 20);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, input.slug);
    const [own] = await tx
      .select({ embedding: skillEmbeddings.embedding })
      .from(skillEmbeddings)
      .where(
        and(
          eq(skillEmbeddings.skillId, skill.id),
          eq(skillEmbeddings.provider, embedder.provider),
          eq(skillEmbeddings.model, embedder.model),
          eq(skillEmbeddings.dimensions, embedder.dimensions),
        ),
      );
    if (!own) return [];
    return nearestSkills(tx, ctx, embedder, own.embedding, {
      limit,
      minSimilarity: embedder.relevanceFloor,
      excludeIds: [skill.id],
    });
  });
}
