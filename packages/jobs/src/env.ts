import { envReader } from '@everyskill/base/env';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { error: 'must be on or off (1/0, true/false)' })
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const jobsEnvSchema = z.object({
  JOBS_WORKERS: flag.default(true),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  JOBS_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  JOBS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
});

export type JobsEnv = z.infer<typeof jobsEnvSchema>;

/** Reads and validates the job workers' configuration from the environment, at call time. */
export const readJobsEnv: (env?: Record<string, string | undefined>) => JobsEnv = envReader('job worker', jobsEnvSchema, { lowercase: true });
