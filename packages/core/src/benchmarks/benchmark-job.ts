import { defineJobType } from '@everyskill/jobs';
import { z } from 'zod';
import { aiJobRetryPolicy } from '../ai-review/ai-review-job';

export const benchmarkPayload = z.object({ tenantId: z.uuid(), runId: z.uuid() });

/** One benchmark run: every task × model × with/without the skill, each answer judged. Resumes after a retry. */
export function benchmarkJobType() {
  return defineJobType({ name: 'benchmark.run', payload: benchmarkPayload, retry: aiJobRetryPolicy(3600) });
}
