import { readAiConfig } from '@everyskill/ai';
import { getJobQueue, type JobQueue } from '@everyskill/jobs';
import { and, benchmarkRuns, eq, inArray, withTenant } from '@everyskill/db';
import { startBenchmarkInput } from '@everyskill/contracts';
import type { z } from 'zod';
import { AI_OFF_MESSAGE } from '../ai-review/queue-ai-review';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { isUniqueViolation } from '../db-errors';
import { AppError, conflict } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from '../skills/load-version';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from '../skills/skill-access';
import { ABANDONED_BENCHMARK_MESSAGE, benchmarkJobType, isAbandonedBenchmark } from './benchmark-job';

/**
 * Starts a benchmark of a skill's latest version (its author or an admin): each task runs with and
 * without the skill on each configured model, and a judge model grades every answer. Runs as a job.
 */
export async function startBenchmark(ctx: Ctx, input: z.input<typeof startBenchmarkInput>, queue?: JobQueue): Promise<{ runId: string }> {
  requireScope(ctx, 'skills:publish');
  const { slug, tasks } = parseInput(startBenchmarkInput, input);
  const config = readAiConfig();
  if (!config.enabled) throw new AppError('unavailable', AI_OFF_MESSAGE.replace('AI review', 'Benchmarking'));
  const jobs = queue ?? (await getJobQueue());
  try {
    return await withTenant(ctx.db, ctx.tenantId, async (tx) => {
      const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
      await requireAuthorOrAdmin(tx, ctx, skill, 'benchmark it');
      const version = await loadVersion(tx, skill);
      // A run whose worker died for good would block the skill's benchmarks forever: close it.
      const [open] = await tx
        .select()
        .from(benchmarkRuns)
        .where(and(eq(benchmarkRuns.skillId, skill.id), inArray(benchmarkRuns.status, ['queued', 'running'])));
      if (open && isAbandonedBenchmark(open)) {
        await tx
          .update(benchmarkRuns)
          .set({ status: 'failed', error: ABANDONED_BENCHMARK_MESSAGE, completedAt: new Date(), updatedAt: new Date() })
          .where(eq(benchmarkRuns.id, open.id));
      }
      const [run] = await tx
        .insert(benchmarkRuns)
        .values({
          tenantId: ctx.tenantId,
          skillId: skill.id,
          versionId: version.id,
          models: config.benchmarkModels,
          judgeModel: config.judgeModel,
          tasks,
          stepsTotal: tasks.length * config.benchmarkModels.length * 2,
          requestedBy: actorUserId(ctx.actor),
        })
        .returning();
      const jobId = await jobs.enqueue(benchmarkJobType(), { tenantId: ctx.tenantId, runId: run!.id }, { tx, singletonKey: run!.id });
      await tx.update(benchmarkRuns).set({ jobId }).where(eq(benchmarkRuns.id, run!.id));
      await recordAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'benchmark.started',
        targetType: 'skill',
        targetId: skill.id,
        details: { slug: skill.slug, version: version.version, runId: run!.id, tasks: tasks.length, models: config.benchmarkModels },
        requestId: ctx.requestId,
      });
      return { runId: run!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a benchmark of '${slug}' is already running; wait for it or cancel it`);
    throw error;
  }
}
