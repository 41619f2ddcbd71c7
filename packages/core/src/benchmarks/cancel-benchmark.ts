import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { and, benchmarkRuns, eq, withTenant } from '@everyskill/db';
import { benchmarkRunRef } from '@everyskill/contracts';
import type { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict, notFound } from '../errors';
import { parseInput } from '../parse-input';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from '../skills/skill-access';

/**
 * Cancels a benchmark run (its skill's author or an admin). A waiting run stops at once; a running
 * one stops before its next step, keeping the answers graded so far.
 */
export async function cancelBenchmark(ctx: Ctx, input: z.input<typeof benchmarkRunRef>, queue?: JobQueue): Promise<{ status: string }> {
  requireScope(ctx, 'skills:publish');
  const { slug, runId } = parseInput(benchmarkRunRef, input);
  const result = await withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    await requireAuthorOrAdmin(tx, ctx, skill, 'cancel its benchmark');
    const [run] = await tx
      .select()
      .from(benchmarkRuns)
      .where(and(eq(benchmarkRuns.id, runId), eq(benchmarkRuns.skillId, skill.id)))
      .for('update');
    if (!run) throw notFound('that benchmark run');
    if (run.status !== 'queued' && run.status !== 'running') throw conflict(`this benchmark already ${run.status === 'cancelled' ? 'was cancelled' : run.status === 'failed' ? 'failed' : 'finished'}`);
    const now = new Date();
    const status = run.status === 'queued' ? 'cancelled' : 'running';
    await tx
      .update(benchmarkRuns)
      .set({ cancelRequestedAt: now, updatedAt: now, ...(status === 'cancelled' ? { status, completedAt: now } : {}) })
      .where(eq(benchmarkRuns.id, run.id));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'benchmark.cancelled',
      targetType: 'skill',
      targetId: skill.id,
      details: { slug: skill.slug, runId: run.id, stepsDone: run.stepsDone, stepsTotal: run.stepsTotal },
      requestId: ctx.requestId,
    });
    return { status: status === 'cancelled' ? 'cancelled' : 'cancelling', jobId: run.jobId, wasQueued: run.status === 'queued' };
  });
  if (result.wasQueued && result.jobId) {
    // The run row already says cancelled, so a job that starts anyway stops at once.
    await (queue ?? (await getJobQueue())).cancelJob(result.jobId, ctx.tenantId).catch(() => false);
  }
  return { status: result.status };
}
