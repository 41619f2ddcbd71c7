import { duplicateCheckInput, type DuplicateCheckInput, type DuplicateCheckResult } from '@everyskill/contracts';
import { inArray, rowsOf, skills, sql, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { requireScope } from '../skills/skill-access';
import { selectSummaries, toSummary } from '../skills/skill-views';
import { nearestSkills } from './find-similar-skills';
import { slugOf } from './search-skills';
import { getSearchRuntime, type SearchRuntime } from './search-runtime';
import { skillEmbeddingInput } from './skill-embedding-input';
import { visibleSkillSql } from './visible-skill-sql';

// The publish form waits for this check; past the deadline it falls back to comparing words.
const DEADLINE_MS = 1500;
// Without embeddings: trigram similarity of the description that counts as "the same skill".
const TEXT_DUPLICATE_SIMILARITY = 0.6;

/**
 * Existing skills very close to a draft about to be published, for the "this looks like X —
 * publish it as a variation?" prompt. Uses the draft's embedding; when the embedder is
 * unavailable, compares names and descriptions by trigram similarity instead.
 */
export async function checkDuplicateSkills(
  ctx: Ctx,
  input: DuplicateCheckInput,
  options: { runtime?: SearchRuntime } = {},
): Promise<DuplicateCheckResult> {
  requireScope(ctx, 'skills:read');
  const draft = parseInput(duplicateCheckInput, input);
  if (!draft.description && !draft.body) return { duplicates: [], semantic: false };
  const runtime = options.runtime ?? getSearchRuntime();
  const excludeSlug = draft.excludeSlug ?? (slugOf(draft.name) || undefined);

  let vector: number[] | null = null;
  try {
    const text = skillEmbeddingInput({ name: draft.name, description: draft.description, tags: [], skillMd: draft.body });
    [vector = null] = await runtime.embedDocuments([text], AbortSignal.timeout(DEADLINE_MS));
  } catch {
    vector = null;
  }

  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const excluded = excludeSlug
      ? (await tx.select({ id: skills.id }).from(skills).where(sql`${skills.slug} = ${excludeSlug} AND ${skills.deletedAt} IS NULL`)).map((r) => r.id)
      : [];
    if (vector) {
      const duplicates = await nearestSkills(tx, ctx, runtime.embedder, vector, {
        limit: 3,
        minSimilarity: runtime.embedder.duplicateThreshold,
        excludeIds: excluded,
      });
      return { duplicates, semantic: true };
    }
    const rows = rowsOf<{ id: string; sim: number }>(
      await tx.execute(sql`
        SELECT s.id, greatest(similarity(s.description, ${draft.description}), similarity(s.name, ${draft.name})) AS sim
        FROM skills s
        WHERE ${visibleSkillSql(ctx)}
          AND (s.description % ${draft.description} OR s.name % ${draft.name})
          ${excluded.length ? sql`AND s.id NOT IN (${sql.join(excluded.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
        ORDER BY sim DESC
        LIMIT 3`),
    ).filter((r) => Number(r.sim) >= TEXT_DUPLICATE_SIMILARITY);
    if (rows.length === 0) return { duplicates: [], semantic: false };
    const summaries = await selectSummaries(tx).where(inArray(skills.id, rows.map((r) => r.id)));
    const byId = new Map(summaries.map((s) => [s.skill.id, s]));
    return {
      duplicates: rows.flatMap((r) => {
        const s = byId.get(r.id);
        return s ? [{ skill: toSummary(s), similarity: Number(r.sim) }] : [];
      }),
      semantic: false,
    };
  });
}
