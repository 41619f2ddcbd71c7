import { skillVersionRefInput, type SkillSummary, type SkillVersionDetail, type SkillVersionRefInput } from '@everyskill/contracts';
import { eq, skills, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { loadVersion } from './load-version';
import { loadVisibleSkill, requireScope } from './skill-access';
import { loadPeople, selectSummaries, toSummary, toVersionDetail } from './skill-views';
import { loadVersionSafety } from './safety';

/** One version of a skill (the latest when no version is given), with the skill it belongs to. */
export async function getSkillVersion(
  ctx: Ctx,
  input: SkillVersionRefInput,
): Promise<{ skill: SkillSummary; version: SkillVersionDetail }> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(skillVersionRefInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const row = await loadVersion(tx, skill, version);
    const [summary] = await selectSummaries(tx).where(eq(skills.id, skill.id));
    const people = await loadPeople(tx, [row.publishedBy]);
    const safety = await loadVersionSafety(tx, row.id);
    return { skill: toSummary(summary!), version: toVersionDetail(row, row.publishedBy ? (people.get(row.publishedBy) ?? null) : null, safety) };
  });
}
