import type { JobQueue } from '@everyskill/jobs';
import { withTenant } from '@everyskill/db';
import { requestAiReviewInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { forbidden } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { loadVisibleSkill, requireScope } from '../skills/skill-access';
import { canManageAiReviews } from './ai-review-access';
import { toAiReviewView, type AiReviewView } from './ai-review-views';
import { queueAiReview } from './queue-ai-review';


/**
 * Queues a (re-)review of a skill version on demand: its author, an admin or a reviewer may ask.
 * Returns the queued review, or the one already waiting for that version.
 */
export async function requestAiReview(ctx: Ctx, input: z.input<typeof requestAiReviewInput>, queue?: JobQueue): Promise<AiReviewView> {
  requireScope(ctx, 'skills:publish');
  const { slug, version } = parseInput(requestAiReviewInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    if (!(await canManageAiReviews(tx, ctx, skill))) {
      throw forbidden(`only the author of '${skill.slug}', an admin or a reviewer can ask for a new AI review`);
    }
    const row = await loadVersion(tx, skill, version);
    const review = await queueAiReview(
      tx,
      {
        tenantId: ctx.tenantId,
        subject: { kind: 'version', skillId: skill.id, versionId: row.id, contentSha256: row.contentSha256 },
        requestedBy: actorUserId(ctx.actor),
      },
      queue,
    );
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'ai_review.requested',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug: skill.slug, version: row.version, reviewId: review.id, model: review.model },
      requestId: ctx.requestId,
    });
    return toAiReviewView(review);
  });
}
