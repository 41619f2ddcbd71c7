import { skillRefInput, type SkillRefInput } from '@everyskill/contracts';
import { eq, skills, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from './skill-access';

/**
 * Soft-deletes a skill (the author or an admin): it leaves every list and page, its name becomes
 * free, its versions and blobs stay for the record and for variations made from it.
 */
export async function deleteSkill(ctx: Ctx, input: SkillRefInput): Promise<{ slug: string; deletedAt: string }> {
  requireScope(ctx, 'skills:publish');
  const { slug } = parseInput(skillRefInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    await requireAuthorOrAdmin(tx, ctx, skill, 'delete it');
    const deletedAt = new Date();
    await tx.update(skills).set({ deletedAt, updatedAt: deletedAt }).where(eq(skills.id, skill.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'skill.deleted',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug, name: skill.name },
      requestId: ctx.requestId,
    });
    return { slug, deletedAt: deletedAt.toISOString() };
  });
}
