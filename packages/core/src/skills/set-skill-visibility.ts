import { setSkillVisibilityInput, type SetSkillVisibilityInput, type SkillVisibility } from '@everyskill/contracts';
import { eq, skills, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from './skill-access';

/** Changes who sees a skill (tenant, private, public); the author or an admin may. */
export async function setSkillVisibility(
  ctx: Ctx,
  input: SetSkillVisibilityInput,
): Promise<{ slug: string; visibility: SkillVisibility; changed: boolean }> {
  requireScope(ctx, 'skills:publish');
  const { slug, visibility } = parseInput(setSkillVisibilityInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    await requireAuthorOrAdmin(tx, ctx, skill, 'change its visibility');
    if (skill.visibility === visibility) return { slug, visibility, changed: false };
    await tx.update(skills).set({ visibility, updatedAt: new Date() }).where(eq(skills.id, skill.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'skill.visibility_changed',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug, from: skill.visibility, to: visibility },
      requestId: ctx.requestId,
    });
    return { slug, visibility, changed: true };
  });
}
