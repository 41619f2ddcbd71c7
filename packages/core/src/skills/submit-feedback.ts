import { submitFeedbackInput, type SubmitFeedbackInput } from '@everyskill/contracts';
import { and, eq, inArray, skillFeedback, skills, skillVersions, sql, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { notFound } from '../errors';
import { parseInput } from '../parse-input';
import { cleanFreeText } from './clean-free-text';
import { loadVisibleSkill, requirePerson, requireScope } from './skill-access';

export interface SubmitFeedbackResult {
  id: string;
  kind: string;
  body: string | null;
  feedbackPositive: number;
  feedbackTotal: number;
}

/**
 * Records feedback on a skill. A thumb is one per person (giving the other one moves the vote);
 * suggestions and bug reports accumulate. The text is sanitised: secrets in it are redacted.
 */
export async function submitFeedback(ctx: Ctx, input: SubmitFeedbackInput): Promise<SubmitFeedbackResult> {
  requireScope(ctx, 'usage:write');
  const userId = requirePerson(ctx, 'give feedback');
  const { slug, kind, body, version, source } = parseInput(submitFeedbackInput, input);
  const cleanBody = await cleanFreeText(body);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    let versionId = skill.latestVersionId;
    if (version) {
      const [found] = await tx
        .select({ id: skillVersions.id })
        .from(skillVersions)
        .where(and(eq(skillVersions.skillId, skill.id), eq(skillVersions.version, version)));
      if (!found) throw notFound(`version ${version} of '${slug}'`);
      versionId = found.id;
    }

    let id: string;
    let positiveDelta = 0;
    let totalDelta = 0;
    if (kind === 'thumbs_up' || kind === 'thumbs_down') {
      const [previous] = await tx
        .select()
        .from(skillFeedback)
        .where(
          and(
            eq(skillFeedback.skillId, skill.id),
            eq(skillFeedback.userId, userId),
            inArray(skillFeedback.kind, ['thumbs_up', 'thumbs_down']),
          ),
        );
      if (previous) {
        await tx
          .update(skillFeedback)
          .set({ kind, body: cleanBody ?? previous.body, versionId, source, updatedAt: new Date() })
          .where(eq(skillFeedback.id, previous.id));
        id = previous.id;
        if (previous.kind !== kind) positiveDelta = kind === 'thumbs_up' ? 1 : -1;
      } else {
        id = await insertFeedback();
        totalDelta = 1;
        positiveDelta = kind === 'thumbs_up' ? 1 : 0;
      }
    } else {
      id = await insertFeedback();
    }

    async function insertFeedback(): Promise<string> {
      const [row] = await tx
        .insert(skillFeedback)
        .values({ tenantId: ctx.tenantId, skillId: skill.id, versionId, userId, kind, body: cleanBody, source })
        .returning({ id: skillFeedback.id });
      return row!.id;
    }

    const [counters] = await tx
      .update(skills)
      .set({
        feedbackPositive: sql`${skills.feedbackPositive} + ${positiveDelta}`,
        feedbackTotal: sql`${skills.feedbackTotal} + ${totalDelta}`,
      })
      .where(eq(skills.id, skill.id))
      .returning({ positive: skills.feedbackPositive, total: skills.feedbackTotal });
    return { id, kind, body: cleanBody, feedbackPositive: counters?.positive ?? 0, feedbackTotal: counters?.total ?? 0 };
  });
}
