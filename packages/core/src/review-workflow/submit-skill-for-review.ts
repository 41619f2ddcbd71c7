import { createHash } from 'node:crypto';
import { submitSkillForReviewInput, validateSkillManifest } from '@everyskill/contracts';
import { readAiConfig } from '@everyskill/ai';
import type { JobQueue } from '@everyskill/jobs';
import {
  and,
  desc,
  eq,
  inArray,
  isNull,
  reviewDecisions,
  skills,
  skillSubmissionRevisions,
  skillSubmissions,
  withTenant,
  type Transaction,
} from '@everyskill/db';
import type { z } from 'zod';
import { queueAiReview } from '../ai-review/queue-ai-review';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { isUniqueViolation } from '../db-errors';
import { conflict, forbidden, invalidInput } from '../errors';
import { parseInput } from '../parse-input';
import { canSeeSkill, isAuthor, requirePerson, requireScope } from '../skills/skill-access';
import { readReviewSettings } from './review-settings';
import { activeRole } from './reviewer-access';

export interface SubmitResult {
  submissionId: string;
  revisionId: string;
  revision: number;
  slug: string;
  /** True when this revised a submission that was already open. */
  revised: boolean;
}

/**
 * Submits a skill (or a new version of one) for review. With approval on, this is how a skill
 * gets published: a reviewer approves it later. A second submission of the same skill by its
 * author while one is open becomes the next revision of that one. Claude reviews each revision.
 */
export async function submitSkillForReview(
  ctx: Ctx,
  input: z.input<typeof submitSkillForReviewInput>,
  queue?: JobQueue,
): Promise<SubmitResult> {
  requireScope(ctx, 'skills:publish');
  const me = requirePerson(ctx, 'submit a skill for review');
  const { skillMd, notes } = parseInput(submitSkillForReviewInput, input);
  const validation = validateSkillManifest(skillMd);
  if (!validation.ok || !validation.manifest) {
    throw invalidInput(`SKILL.md is not valid: ${validation.errors.map((e) => e.message).join('; ')}`, {
      reason: 'invalid-manifest',
      errors: validation.errors,
    });
  }
  const slug = validation.manifest.name;
  const contentSha256 = createHash('sha256').update(skillMd).digest('hex');

  try {
    return await withTenant(ctx.db, ctx.tenantId, async (tx) => {
      const settings = await readReviewSettings(tx);
      if (settings.reviewMode !== 'approval') {
        throw conflict('this workspace publishes skills directly; publish it instead of submitting it for review', {
          reason: 'review-not-required',
        });
      }
      const [skill] = await tx
        .select()
        .from(skills)
        .where(and(eq(skills.slug, slug), isNull(skills.deletedAt)))
        .for('update');
      if (skill) {
        if (!canSeeSkill(ctx, skill)) throw conflict(`a skill named '${slug}' already exists in this workspace; choose another name`);
        if (!isAuthor(ctx, skill) && (await activeRole(tx, ctx)) !== 'admin') {
          throw forbidden(`only the author of '${slug}' or an admin can submit a new version of it`);
        }
      }

      const [open] = await tx
        .select()
        .from(skillSubmissions)
        .where(
          and(
            eq(skillSubmissions.slug, slug),
            inArray(skillSubmissions.status, ['in_review', 'changes_requested']),
          ),
        )
        .for('update');
      if (open && open.authorUserId !== me) {
        throw conflict(`'${slug}' is already under review as someone else's submission; wait for its decision`, { reason: 'submission-open' });
      }

      const submission =
        open ??
        (
          await tx
            .insert(skillSubmissions)
            .values({ tenantId: ctx.tenantId, skillId: skill?.id ?? null, slug, authorUserId: me, baseVersionId: skill?.latestVersionId ?? null })
            .returning()
        )[0]!;
      const [latest] = await tx
        .select({ revision: skillSubmissionRevisions.revision, sha: skillSubmissionRevisions.contentSha256 })
        .from(skillSubmissionRevisions)
        .where(eq(skillSubmissionRevisions.submissionId, submission.id))
        .orderBy(desc(skillSubmissionRevisions.revision))
        .limit(1);
      if (latest && latest.sha === contentSha256 && submission.status === 'in_review') {
        throw conflict('this revision is identical to the one under review; change SKILL.md before submitting again', { reason: 'unchanged' });
      }
      const [revision] = await tx
        .insert(skillSubmissionRevisions)
        .values({
          tenantId: ctx.tenantId,
          submissionId: submission.id,
          revision: (latest?.revision ?? 0) + 1,
          skillMd,
          contentSha256,
          notes: notes || null,
          createdBy: me,
        })
        .returning();
      const revised = Boolean(open);
      await tx
        .update(skillSubmissions)
        .set({ status: 'in_review', skillId: skill?.id ?? null, baseVersionId: skill?.latestVersionId ?? submission.baseVersionId, updatedAt: new Date() })
        .where(eq(skillSubmissions.id, submission.id));
      await tx.insert(reviewDecisions).values({
        tenantId: ctx.tenantId,
        submissionId: submission.id,
        revisionId: revision!.id,
        decision: revised ? 'revised' : 'submitted',
        actorUserId: me,
        comment: notes || null,
      });
      await recordAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: revised ? 'review.revised' : 'review.submitted',
        targetType: 'skill_submission',
        targetId: submission.id,
        details: { slug, revision: revision!.revision, contentSha256 },
        requestId: ctx.requestId,
      });
      await queueRevisionReview(tx, ctx.tenantId, skill?.id ?? null, revision!.id, contentSha256, me, queue);
      return { submissionId: submission.id, revisionId: revision!.id, revision: revision!.revision, slug, revised };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`'${slug}' was submitted by someone else at the same moment; try again`);
    throw error;
  }
}

/** Queues Claude's review of a revision, when AI is on; a queue failure never blocks the submission. */
async function queueRevisionReview(
  tx: Transaction,
  tenantId: string,
  skillId: string | null,
  revisionId: string,
  contentSha256: string,
  requestedBy: string,
  queue?: JobQueue,
): Promise<void> {
  try {
    // Inside the try: even a broken AI configuration must not fail the submission.
    if (!readAiConfig().enabled) return;
    await tx.transaction((savepoint) =>
      queueAiReview(savepoint, { tenantId, subject: { kind: 'revision', skillId, revisionId, contentSha256 }, requestedBy }, queue),
    );
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: 'AI review of a submission not queued', tenantId, revisionId, error: (error as Error).message }),
    );
  }
}
