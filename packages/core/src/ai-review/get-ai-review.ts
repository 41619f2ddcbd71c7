import { aiReviews, desc, eq, withTenant } from '@everyskill/db';
import { skillVersionRef } from '@everyskill/contracts';
import type { z } from 'zod';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import { canHideAiReviews, canManageAiReviews } from './ai-review-access';
import { toAiReviewView, type AiReviewView } from './ai-review-views';
import { getAiFeatures, type AiFeatures } from './get-ai-features';

export interface AiReviewPanel {
  features: AiFeatures;
  version: { id: string; version: string; contentSha256: string };
  /** The newest review of the version; null when none was made. */
  review: AiReviewView | null;
  /** True when the author hid the review and the actor may not see it. */
  hiddenFromMe: boolean;
  /** Whether the actor may see a hidden review and re-run it (author, admin, reviewer). */
  canManage: boolean;
  /** Whether the actor may hide or show the review (author, admin). */
  canHide: boolean;
}

/** The AI review panel of a skill version (its latest by default), as the actor may see it. */
export async function getAiReview(ctx: Ctx, input: z.input<typeof skillVersionRef>): Promise<AiReviewPanel> {
  requireScope(ctx, 'skills:read');
  const { slug, version } = parseInput(skillVersionRef, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const row = await loadVersion(tx, skill, version);
    const canManage = await canManageAiReviews(tx, ctx, skill);
    const canHide = canManage && (await canHideAiReviews(tx, ctx, skill));
    const [latest] = await tx.select().from(aiReviews).where(eq(aiReviews.versionId, row.id)).orderBy(desc(aiReviews.createdAt)).limit(1);
    const hiddenFromMe = Boolean(latest?.hidden) && !canManage;
    return {
      features: getAiFeatures(),
      version: { id: row.id, version: row.version, contentSha256: row.contentSha256 },
      review: latest && !hiddenFromMe ? toAiReviewView(latest) : null,
      hiddenFromMe,
      canManage,
      canHide,
    };
  });
}
