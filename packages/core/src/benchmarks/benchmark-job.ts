import { defineJobType } from '@everyskill/jobs';
import type { BenchmarkRun } from '@everyskill/db';
import { z } from 'zod';
import { aiJobRetryPolicy } from '../ai-review/ai-review-job';

export const benchmarkPayload = z.object({ tenantId: z.uuid(), runId: z.uuid() });

/** How long one attempt of a benchmark run may take before the queue gives up on it. */
const BENCHMARK_EXPIRE_SECONDS = 3600;

/** One benchmark run: every task × model × with/without the skill, each answer judged. Resumes after a retry. */
export function benchmarkJobType() {
  return defineJobType({ name: 'benchmark.run', payload: benchmarkPayload, retry: aiJobRetryPolicy(BENCHMARK_EXPIRE_SECONDS) });
}

export const ABANDONED_BENCHMARK_MESSAGE = 'the run stopped without finishing: its worker ended and the queue gave up on it';

/**
 * A run left "running" by a worker that died: every attempt writes progress as it goes, and a
 * retry after a crash starts (and writes) within one attempt's time plus the longest back-off, so
 * a row unchanged for longer than that has no job left to finish it.
 */
export function isAbandonedBenchmark(run: Pick<BenchmarkRun, 'status' | 'updatedAt'>, now = new Date()): boolean {
  if (run.status !== 'running') return false;
  const policy = aiJobRetryPolicy(BENCHMARK_EXPIRE_SECONDS);
  const longestBackoff = (policy.retryDelaySeconds ?? 0) * 2 ** ((policy.retryLimit ?? 0) + 1);
  const quietSeconds = BENCHMARK_EXPIRE_SECONDS + longestBackoff + 300;
  return new Date(run.updatedAt).getTime() + quietSeconds * 1000 < now.getTime();
}
