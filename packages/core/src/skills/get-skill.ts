import {
  skillRefInput,
  type SkillDetail,
  type SkillFeedbackView,
  type SkillRatingView,
  type SkillRefInput,
  type SkillUsageDay,
} from '@everyskill/contracts';
import {
  and,
  desc,
  eq,
  inArray,
  isNull,
  rowsOf,
  skillFeedback,
  skillRatings,
  skills,
  skillVersions,
  sql,
  users,
  withTenant,
  type Skill,
  type Transaction,
} from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';
import { parseInput } from '../parse-input';
import { canSeeSkill, claimsAdmin, isAuthor, loadVisibleSkill, requireScope } from './skill-access';
import { loadPeople, selectSummaries, toSummary, toVersionDetail } from './skill-views';
import { loadVersionSafety } from './safety';
import { readReviewSettings } from '../review-workflow/review-settings';

export const USAGE_CHART_DAYS = 30;

/** Everything the skill page shows: the skill, its latest version, history, ratings, feedback, usage and lineage. */
export async function getSkill(ctx: Ctx, input: SkillRefInput): Promise<SkillDetail> {
  requireScope(ctx, 'skills:read');
  const { slug } = parseInput(skillRefInput, input);
  const me = actorUserId(ctx.actor);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const [summaryRow] = await selectSummaries(tx).where(eq(skills.id, skill.id));
    const versions = await tx
      .select()
      .from(skillVersions)
      .where(eq(skillVersions.skillId, skill.id))
      .orderBy(desc(skillVersions.createdAt));
    const latest = versions.find((v) => v.id === skill.latestVersionId) ?? null;

    const ratingRows = await tx
      .select({ rating: skillRatings, author: { id: users.id, name: users.name, email: users.email } })
      .from(skillRatings)
      .leftJoin(users, eq(users.id, skillRatings.userId))
      .where(eq(skillRatings.skillId, skill.id))
      .orderBy(desc(skillRatings.updatedAt))
      .limit(20);
    const feedbackRows = await tx
      .select({ feedback: skillFeedback, author: { id: users.id, name: users.name, email: users.email } })
      .from(skillFeedback)
      .leftJoin(users, eq(users.id, skillFeedback.userId))
      .where(and(eq(skillFeedback.skillId, skill.id), inArray(skillFeedback.kind, ['suggestion', 'bug_report'])))
      .orderBy(desc(skillFeedback.createdAt))
      .limit(20);
    const versionById = new Map(versions.map((v) => [v.id, v.version]));

    const mine = me
      ? {
          rating: (await tx.select().from(skillRatings).where(and(eq(skillRatings.skillId, skill.id), eq(skillRatings.userId, me))))[0],
          thumb: (
            await tx
              .select({ kind: skillFeedback.kind })
              .from(skillFeedback)
              .where(
                and(
                  eq(skillFeedback.skillId, skill.id),
                  eq(skillFeedback.userId, me),
                  inArray(skillFeedback.kind, ['thumbs_up', 'thumbs_down']),
                ),
              )
          )[0],
        }
      : { rating: undefined, thumb: undefined };

    const people = await loadPeople(tx, versions.map((v) => v.publishedBy));
    const latestSafety = latest ? await loadVersionSafety(tx, latest.id) : null;
    const manage = isAuthor(ctx, skill) || claimsAdmin(ctx);

    return {
      ...toSummary(summaryRow!),
      latest: latest ? toVersionDetail(latest, latest.publishedBy ? (people.get(latest.publishedBy) ?? null) : null, latestSafety) : null,
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        contentSha256: v.contentSha256,
        notes: v.notes,
        fileCount: v.fileCount,
        sizeBytes: v.sizeBytes,
        publishedBy: v.publishedBy ? (people.get(v.publishedBy) ?? null) : null,
        createdAt: v.createdAt.toISOString(),
      })),
      fork: await loadLineage(tx, ctx, skill),
      variations: await loadVariations(tx, ctx, skill),
      myRating: mine.rating ? { stars: mine.rating.stars, comment: mine.rating.comment } : null,
      myThumb: mine.thumb?.kind === 'thumbs_up' || mine.thumb?.kind === 'thumbs_down' ? mine.thumb.kind : null,
      ratings: ratingRows.map(
        (r): SkillRatingView => ({
          stars: r.rating.stars,
          comment: r.rating.comment,
          author: r.author?.id ? r.author : null,
          updatedAt: r.rating.updatedAt.toISOString(),
        }),
      ),
      feedback: feedbackRows.map(
        (r): SkillFeedbackView => ({
          id: r.feedback.id,
          kind: r.feedback.kind,
          body: r.feedback.body,
          version: r.feedback.versionId ? (versionById.get(r.feedback.versionId) ?? null) : null,
          author: r.author?.id ? r.author : null,
          createdAt: r.feedback.createdAt.toISOString(),
        }),
      ),
      usage: await loadUsage(tx, skill.id),
      // Restoring publishes directly, which a workspace that reviews skills before publishing refuses.
      permissions: {
        canPublishVersion: manage,
        canManage: manage,
        canRestoreVersion: manage && (await readReviewSettings(tx)).reviewMode !== 'approval',
      },
    };
  });
}

/**
 * The parent of a variation and how many versions the parent has published since the fork; null
 * when the viewer may not see the parent (made private since), so its name and versions stay hidden.
 */
async function loadLineage(tx: Transaction, ctx: Ctx, skill: Skill): Promise<SkillDetail['fork']> {
  if (!skill.forkedFromSkillId || !skill.forkedFromVersionId) return null;
  const [parent] = await tx.select().from(skills).where(eq(skills.id, skill.forkedFromSkillId));
  const [base] = await tx.select().from(skillVersions).where(eq(skillVersions.id, skill.forkedFromVersionId));
  if (!parent || !base || !canSeeSkill(ctx, parent)) return null;
  const [parentLatest] = parent.latestVersionId
    ? await tx.select({ version: skillVersions.version }).from(skillVersions).where(eq(skillVersions.id, parent.latestVersionId))
    : [];
  const newer = await tx
    .select({ id: skillVersions.id })
    .from(skillVersions)
    .where(
      and(
        eq(skillVersions.skillId, parent.id),
        // Compared in SQL: a JS Date would drop the microseconds and count the base version itself.
        sql`${skillVersions.createdAt} > (SELECT v.created_at FROM skill_versions v WHERE v.id = ${base.id})`,
      ),
    );
  return {
    parent: { slug: parent.slug, name: parent.name, deleted: parent.deletedAt !== null },
    forkedFromVersion: base.version,
    parentLatestVersion: parentLatest?.version ?? null,
    newerParentVersions: newer.length,
  };
}

async function loadVariations(tx: Transaction, ctx: Ctx, skill: Skill): Promise<SkillDetail['variations']> {
  const rows = await selectSummaries(tx)
    .where(and(eq(skills.forkedFromSkillId, skill.id), isNull(skills.deletedAt)))
    .orderBy(desc(skills.createdAt))
    .limit(50);
  return rows
    .filter((r) => canSeeSkill(ctx, r.skill))
    .map((r) => ({ slug: r.skill.slug, name: r.skill.name, author: r.author?.id ? r.author : null }));
}

/** Installs and uses per UTC day for the last 30 days, oldest first, days without events included. */
export async function loadUsage(tx: Transaction, skillId: string, days = USAGE_CHART_DAYS): Promise<SkillUsageDay[]> {
  const rows = rowsOf<{ day: string; kind: 'install' | 'use'; n: number | string }>(
    await tx.execute(sql`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, count(*)::int AS n
      FROM skill_usage_events
      WHERE skill_id = ${skillId}
        AND created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days - 1})) AT TIME ZONE 'UTC'
      GROUP BY 1, 2`),
  );
  const byDay = new Map<string, SkillUsageDay>();
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i)).toISOString().slice(0, 10);
    byDay.set(date, { date, installs: 0, uses: 0 });
  }
  for (const row of rows) {
    const day = byDay.get(row.day);
    if (!day) continue;
    if (row.kind === 'install') day.installs += Number(row.n);
    else day.uses += Number(row.n);
  }
  return [...byDay.values()];
}
