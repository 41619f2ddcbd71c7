import { rateSkillInput, type RateSkillInput } from '@everyskill/contracts';
import { and, eq, skillRatings, skills, sql, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { cleanFreeText } from './clean-free-text';
import { loadVisibleSkill, requirePerson, requireScope } from './skill-access';

export interface RateSkillResult {
  stars: number;
  comment: string | null;
  ratingAvg: number;
  ratingCount: number;
}

/** Rates a skill 1–5 with an optional comment; rating again replaces the person's earlier rating. */
export async function rateSkill(ctx: Ctx, input: RateSkillInput): Promise<RateSkillResult> {
  requireScope(ctx, 'usage:write');
  const userId = requirePerson(ctx, 'rate a skill');
  const { slug, stars, comment } = parseInput(rateSkillInput, input);
  const cleanComment = await cleanFreeText(comment);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    // The row lock serialises ratings of one skill, so the counter deltas below never race.
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    const [previous] = await tx
      .select()
      .from(skillRatings)
      .where(and(eq(skillRatings.skillId, skill.id), eq(skillRatings.userId, userId)));
    if (previous) {
      await tx
        .update(skillRatings)
        .set({ stars, comment: cleanComment, updatedAt: new Date() })
        .where(eq(skillRatings.id, previous.id));
    } else {
      await tx.insert(skillRatings).values({ tenantId: ctx.tenantId, skillId: skill.id, userId, stars, comment: cleanComment });
    }
    const [counters] = await tx
      .update(skills)
      .set({
        ratingSum: sql`${skills.ratingSum} + ${stars - (previous?.stars ?? 0)}`,
        ratingCount: sql`${skills.ratingCount} + ${previous ? 0 : 1}`,
      })
      .where(eq(skills.id, skill.id))
      .returning({ ratingAvg: skills.ratingAvg, ratingCount: skills.ratingCount });
    return { stars, comment: cleanComment, ratingAvg: Number(counters?.ratingAvg ?? 0), ratingCount: counters?.ratingCount ?? 0 };
  });
}
