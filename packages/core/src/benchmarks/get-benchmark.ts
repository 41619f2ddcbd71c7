import { and, benchmarkResults, benchmarkRuns, desc, eq, inArray, skillFeedback, skillVersions, withTenant, type BenchmarkStatus, type BenchmarkTask } from '@everyskill/db';
import { ABANDONED_BENCHMARK_MESSAGE, isAbandonedBenchmark } from './benchmark-job';
import { skillSlug } from '@everyskill/contracts';
import { z } from 'zod';
import type { Ctx } from '../context';
import { getAiFeatures, type AiFeatures } from '../ai-review/get-ai-features';
import { parseInput } from '../parse-input';
import { isAuthor, loadVisibleSkill, requireScope } from '../skills/skill-access';
import { activeRole } from '../review-workflow/reviewer-access';
import { summariseBenchmark, type BenchmarkSummary } from './benchmark-summary';

const getBenchmarkInput = z.object({ slug: skillSlug, runId: z.uuid().optional() });

export interface BenchmarkCell {
  taskIndex: number;
  model: string;
  withSkill: boolean;
  score: number;
  judgeReasoning: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd: number | null;
}

export interface BenchmarkRunView {
  id: string;
  status: BenchmarkStatus;
  version: string;
  models: string[];
  judgeModel: string;
  tasks: BenchmarkTask[];
  stepsDone: number;
  stepsTotal: number;
  error: string | null;
  cancelRequested: boolean;
  createdAt: Date;
  completedAt: Date | null;
  results: BenchmarkCell[];
  summary: BenchmarkSummary;
}

export interface BenchmarkPanel {
  features: AiFeatures;
  /** The newest run (or the one asked for); null before the first. */
  run: BenchmarkRunView | null;
  /** Whether the actor may start or cancel runs: the author or an admin. */
  canRun: boolean;
  /** Suggestions and bug reports people left on the skill, offered as test tasks. */
  taskSuggestions: string[];
}

/** A skill's benchmark: the latest run's progress, table and per-model summary. */
export async function getBenchmark(ctx: Ctx, input: z.input<typeof getBenchmarkInput>): Promise<BenchmarkPanel> {
  requireScope(ctx, 'skills:read');
  const { slug, runId } = parseInput(getBenchmarkInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug);
    const canRun = isAuthor(ctx, skill) || (await activeRole(tx, ctx)) === 'admin' || ctx.actor.kind === 'system';
    const [row] = await tx
      .select({ run: benchmarkRuns, version: skillVersions.version })
      .from(benchmarkRuns)
      .innerJoin(skillVersions, eq(skillVersions.id, benchmarkRuns.versionId))
      .where(and(eq(benchmarkRuns.skillId, skill.id), runId ? eq(benchmarkRuns.id, runId) : undefined))
      .orderBy(desc(benchmarkRuns.createdAt))
      .limit(1);
    const feedback = canRun
      ? await tx
          .select({ body: skillFeedback.body })
          .from(skillFeedback)
          .where(and(eq(skillFeedback.skillId, skill.id), inArray(skillFeedback.kind, ['suggestion', 'bug_report'])))
          .orderBy(desc(skillFeedback.createdAt))
          .limit(10)
      : [];
    const taskSuggestions = feedback.flatMap((f) => (f.body ? [f.body] : []));
    if (!row) return { features: getAiFeatures(), run: null, canRun, taskSuggestions };
    const results = await tx
      .select()
      .from(benchmarkResults)
      .where(eq(benchmarkResults.runId, row.run.id))
      .orderBy(benchmarkResults.taskIndex, benchmarkResults.model, benchmarkResults.withSkill);
    // A run nothing will finish is shown as failed, with the reason, so it can be run again.
    const run = isAbandonedBenchmark(row.run) ? { ...row.run, status: 'failed' as const, error: ABANDONED_BENCHMARK_MESSAGE } : row.run;
    return {
      features: getAiFeatures(),
      canRun,
      taskSuggestions,
      run: {
        id: run.id,
        status: run.status,
        version: row.version,
        models: run.models,
        judgeModel: run.judgeModel,
        tasks: run.tasks,
        stepsDone: run.stepsDone,
        stepsTotal: run.stepsTotal,
        error: run.error,
        cancelRequested: run.cancelRequestedAt !== null,
        createdAt: new Date(run.createdAt),
        completedAt: run.completedAt ? new Date(run.completedAt) : null,
        results: results.map((r) => ({
          taskIndex: r.taskIndex,
          model: r.model,
          withSkill: r.withSkill,
          score: r.score,
          judgeReasoning: r.judgeReasoning,
          inputTokens: r.inputTokens,
          outputTokens: r.outputTokens,
          latencyMs: r.latencyMs,
          costUsd: r.costUsd === null ? null : Number(r.costUsd),
        })),
        summary: summariseBenchmark(run.models, results),
      },
    };
  });
}
