import { deprecateSkillInput, type DeprecateSkillInput } from '@everyskill/contracts';
import { eq, skills, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { invalidInput } from '../errors';
import { parseInput } from '../parse-input';
import { notifyInstallers } from './notify-installers';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from './skill-access';

/**
 * Deprecates a skill with a message and, optionally, the skill that replaces it (its author or an
 * admin; audited). It stays installable; `resolve`, `outdated` and MCP answers carry the notice,
 * and everyone who installed it is notified. Deprecating again replaces the notice.
 */
export async function deprecateSkill(
  ctx: Ctx,
  input: DeprecateSkillInput,
): Promise<{ slug: string; message: string; replacement: string | null }> {
  requireScope(ctx, 'skills:publish');
  const { slug, message, replacement } = parseInput(deprecateSkillInput, input);
  if (replacement === slug) throw invalidInput('a skill cannot replace itself; name another skill or leave replacement out');
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    await requireAuthorOrAdmin(tx, ctx, skill, 'deprecate it');
    if (replacement) await loadVisibleSkill(tx, ctx, replacement);
    const now = new Date();
    await tx
      .update(skills)
      .set({ status: 'deprecated', deprecationMessage: message, deprecationReplacement: replacement ?? null, updatedAt: now })
      .where(eq(skills.id, skill.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'skill.deprecated',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug, message, replacement: replacement ?? null },
      requestId: ctx.requestId,
    });
    await notifyInstallers(tx, {
      tenantId: ctx.tenantId,
      skillId: skill.id,
      kind: 'skill_deprecated',
      title: `${skill.name}, which you installed, is deprecated: ${message}${replacement ? ` (use ${replacement} instead)` : ''}`,
      link: `/skills/${slug}`,
      dedupeKey: `deprecated:${skill.id}:${now.getTime()}`,
      exceptUserId: actorUserId(ctx.actor),
    });
    return { slug, message, replacement: replacement ?? null };
  });
}
