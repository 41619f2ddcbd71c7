import type { Database } from '@everyskill/db';
import type { z } from 'zod';

/** How a failing job is retried. Mirrors pg-boss's queue options so both queues behave alike. */
export interface RetryPolicy {
  /** Executions after the first before the job fails for good (0 = never retried). */
  retryLimit: number;
  /** Seconds before a retry; with retryBackoff it doubles per retry, with jitter. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A run still going after this long counts as failed (and is retried). */
  expireInSeconds: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retryLimit: 3,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

/** What a handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  name: string;
  /** 1 for the first execution, 2 for the first retry, … */
  attempt: number;
  /** True when a failure now fails the job for good: the moment to record the failure visibly. */
  isFinalAttempt: boolean;
  db: Database;
  /** Aborted when the worker shuts down or the run outlives expireInSeconds. */
  signal: AbortSignal;
}

/** A job type as producers see it: name, payload schema and retry policy. */
export interface JobType<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  retry: RetryPolicy;
}

/** A job type with the handler workers run. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> extends JobType<S> {
  handler(payload: z.output<S>, ctx: JobContext): Promise<unknown>;
}

const JOB_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/** Declares a job type (what enqueue needs); workers pair it with a handler through withHandler. */
export function defineJobType<S extends z.ZodType>(type: { name: string; payload: S; retry?: Partial<RetryPolicy> }): JobType<S> {
  if (!JOB_NAME.test(type.name)) {
    throw new Error(`job name must be dotted lowercase words such as 'ai-review.run'; got '${type.name}'`);
  }
  const retry = { ...defaultRetryPolicy, ...type.retry };
  if (!Number.isInteger(retry.retryLimit) || retry.retryLimit < 0) throw new Error(`${type.name}: retryLimit must be an integer >= 0`);
  if (!Number.isInteger(retry.retryDelaySeconds) || retry.retryDelaySeconds < 0) throw new Error(`${type.name}: retryDelaySeconds must be an integer >= 0`);
  if (!Number.isInteger(retry.expireInSeconds) || retry.expireInSeconds < 1) throw new Error(`${type.name}: expireInSeconds must be an integer >= 1`);
  return { name: type.name, payload: type.payload, retry };
}

/** Pairs a declared job type with its handler. */
export function withHandler<S extends z.ZodType>(
  type: JobType<S>,
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>,
): JobDefinition<S> {
  return { ...type, handler };
}

/** Declares a job type and its handler in one go. */
export function defineJob<S extends z.ZodType>(definition: {
  name: string;
  payload: S;
  retry?: Partial<RetryPolicy>;
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>;
}): JobDefinition<S> {
  return withHandler(defineJobType(definition), definition.handler);
}

/** The job types a worker runs, by name. Built once, from one list (the app's job registry). */
export class JobRegistry {
  private readonly byName = new Map<string, JobDefinition>();

  constructor(definitions: readonly JobDefinition[]) {
    for (const definition of definitions) {
      if (this.byName.has(definition.name)) throw new Error(`job type '${definition.name}' is declared twice`);
      this.byName.set(definition.name, definition);
    }
  }

  get(name: string): JobDefinition | undefined {
    return this.byName.get(name);
  }

  list(): JobDefinition[] {
    return [...this.byName.values()];
  }
}

/** Thrown by a handler when retrying cannot help (bad payload, the target was deleted): fails the job at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
