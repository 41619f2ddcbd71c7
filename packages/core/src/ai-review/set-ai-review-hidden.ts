import { aiReviews, eq, withTenant } from '@everyskill/db';
import { setAiReviewHiddenInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { forbidden } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import { canHideAiReviews } from './ai-review-access';


/** Hides a version's AI reviews from everyone but its author, admins and reviewers (or shows them again). */
export async function setAiReviewHidden(ctx: Ctx, input: z.input<typeof setAiReviewHiddenInput>): Promise<{ hidden: boolean }> {
  requireScope(ctx, 'skills:publish');
  const { slug, version, hidden } = parseInput(setAiReviewHiddenInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    if (!(await canHideAiReviews(tx, ctx, skill))) {
      throw forbidden(`only the author of '${skill.slug}' or an admin can hide or show its AI review`);
    }
    const row = await loadVersion(tx, skill, version);
    await tx
      .update(aiReviews)
      .set({ hidden, hiddenBy: hidden ? actorUserId(ctx.actor) : null, updatedAt: new Date() })
      .where(eq(aiReviews.versionId, row.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: hidden ? 'ai_review.hidden' : 'ai_review.shown',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug: skill.slug, version: row.version },
      requestId: ctx.requestId,
    });
    return { hidden };
  });
}
