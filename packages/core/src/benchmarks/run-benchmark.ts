import {
  AiCallError,
  costOf,
  createClaudeClient,
  judgeAnswer,
  readAiConfig,
  runBenchmarkTask,
  type ClaudeClient,
} from '@everyskill/ai';
import { PermanentJobError, type JobContext } from '@everyskill/jobs';
import { benchmarkResults, benchmarkRuns, count, eq, skillVersions, withTenant, type BenchmarkRun } from '@everyskill/db';
import type { z } from 'zod';
import { AI_OFF_MESSAGE } from '../ai-review/queue-ai-review';
import type { benchmarkPayload } from './benchmark-job';

/**
 * The benchmark.run handler. Cells (task × model × with/without skill) already graded are kept, so
 * a retried run resumes where it stopped. Before each cell it checks for a cancel request. The
 * judge sees only the task, the expected outcome and the answer: not the model, not the skill.
 */
export async function runBenchmark(
  payload: z.output<typeof benchmarkPayload>,
  job: JobContext,
  deps: { client?: ClaudeClient | null } = {},
): Promise<{ status: string }> {
  const { tenantId, runId } = payload;
  const loaded = await withTenant(job.db, tenantId, async (tx) => {
    const [run] = await tx.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
    if (!run) return null;
    const [version] = await tx.select({ skillMd: skillVersions.skillMd }).from(skillVersions).where(eq(skillVersions.id, run.versionId));
    const done = await tx
      .select({ taskIndex: benchmarkResults.taskIndex, model: benchmarkResults.model, withSkill: benchmarkResults.withSkill })
      .from(benchmarkResults)
      .where(eq(benchmarkResults.runId, runId));
    return { run, skillMd: version?.skillMd ?? null, done };
  });
  if (!loaded) throw new PermanentJobError(`benchmark run ${runId} no longer exists`);
  const { run } = loaded;
  // A failed run resumes when an admin retries its job; finished and cancelled runs stay as they are.
  if (run.status === 'completed' || run.status === 'cancelled') return { status: run.status };
  if (loaded.skillMd === null) {
    await finish(job, tenantId, runId, 'failed', 'the benchmarked version no longer exists');
    throw new PermanentJobError('the benchmarked version no longer exists');
  }
  const config = readAiConfig();
  const client = deps.client === undefined ? createClaudeClient(config) : deps.client;
  if (!client) {
    await finish(job, tenantId, runId, 'failed', AI_OFF_MESSAGE.replace('AI review', 'Benchmarking'));
    throw new PermanentJobError(AI_OFF_MESSAGE);
  }
  await withTenant(job.db, tenantId, (tx) =>
    tx.update(benchmarkRuns).set({ status: 'running', startedAt: run.startedAt ?? new Date(), error: null, completedAt: null, updatedAt: new Date() }).where(eq(benchmarkRuns.id, runId)),
  );

  const done = new Set(loaded.done.map((d) => cellKey(d.taskIndex, d.model, d.withSkill)));
  try {
    for (const cell of cells(run)) {
      if (done.has(cellKey(cell.taskIndex, cell.model, cell.withSkill))) continue;
      if (await cancelRequested(job, tenantId, runId)) {
        await finish(job, tenantId, runId, 'cancelled', null);
        return { status: 'cancelled' };
      }
      const task = run.tasks[cell.taskIndex]!;
      const answer = await runBenchmarkTask(client, cell.model, { skillMd: cell.withSkill ? loaded.skillMd : null, task: task.task }, job.signal);
      const { verdict, call: judged } = await judgeAnswer(
        client,
        run.judgeModel,
        { task: task.task, expectedOutcome: task.expectedOutcome, answer: answer.text },
        job.signal,
      );
      await withTenant(job.db, tenantId, async (tx) => {
        await tx
          .insert(benchmarkResults)
          .values({
            tenantId,
            runId,
            taskIndex: cell.taskIndex,
            model: cell.model,
            withSkill: cell.withSkill,
            answer: answer.text.slice(0, 20_000),
            score: verdict.score,
            judgeReasoning: verdict.reasoning,
            inputTokens: answer.inputTokens,
            outputTokens: answer.outputTokens,
            latencyMs: answer.latencyMs,
            costUsd: costOf(config.pricing, cell.model, answer),
            judgeCostUsd: costOf(config.pricing, run.judgeModel, judged),
          })
          .onConflictDoNothing();
        const [graded] = await tx.select({ n: count() }).from(benchmarkResults).where(eq(benchmarkResults.runId, runId));
        await tx.update(benchmarkRuns).set({ stepsDone: Number(graded?.n ?? 0), updatedAt: new Date() }).where(eq(benchmarkRuns.id, runId));
      });
    }
  } catch (error) {
    const failure = error instanceof AiCallError ? error : internalFailure(error, { tenantId, runId });
    if (job.isFinalAttempt || !failure.retryable) {
      const message = `${failure.message} (gave up after ${job.attempt} attempt${job.attempt === 1 ? '' : 's'})`;
      await finish(job, tenantId, runId, 'failed', message);
      throw new PermanentJobError(message, { cause: failure });
    }
    await withTenant(job.db, tenantId, (tx) =>
      tx
        .update(benchmarkRuns)
        .set({ error: `attempt ${job.attempt} stopped: ${failure.message}; retrying and resuming`, updatedAt: new Date() })
        .where(eq(benchmarkRuns.id, runId)),
    );
    throw failure;
  }
  await finish(job, tenantId, runId, 'completed', null);
  return { status: 'completed' };
}

/** Tasks in order; for each, every model without and with the skill. */
function* cells(run: BenchmarkRun) {
  for (let taskIndex = 0; taskIndex < run.tasks.length; taskIndex++) {
    for (const model of run.models) {
      for (const withSkill of [false, true]) yield { taskIndex, model, withSkill };
    }
  }
}

function cellKey(taskIndex: number, model: string, withSkill: boolean): string {
  return `${taskIndex}|${model}|${withSkill}`;
}

async function cancelRequested(job: JobContext, tenantId: string, runId: string): Promise<boolean> {
  const [row] = await withTenant(job.db, tenantId, (tx) =>
    tx.select({ at: benchmarkRuns.cancelRequestedAt }).from(benchmarkRuns).where(eq(benchmarkRuns.id, runId)),
  );
  return Boolean(row?.at);
}

async function finish(job: JobContext, tenantId: string, runId: string, status: 'completed' | 'failed' | 'cancelled', error: string | null) {
  await withTenant(job.db, tenantId, (tx) =>
    tx.update(benchmarkRuns).set({ status, error, completedAt: new Date(), updatedAt: new Date() }).where(eq(benchmarkRuns.id, runId)),
  );
}

/**
 * A failure that is not Claude's (the database, a bug): its message may hold SQL and data, and the
 * run's error is shown to every reader of the skill, so it is logged and the run says only that.
 */
function internalFailure(error: unknown, fields: { tenantId: string; runId: string }): AiCallError {
  console.error(
    JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: 'benchmark attempt stopped by an internal error', ...fields, error: (error as Error).message }),
  );
  return new AiCallError('connection', 'an internal error stopped this attempt (details are in the server log)', true);
}
