import type { Transaction } from '@everyskill/db';
import type { JobRegistry, JobType } from './define-job';

/** The states a person sees; each queue maps its own onto these. */
export const jobStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  /** Executions started so far. */
  attempts: number;
  maxAttempts: number;
  tenantId: string | null;
  payload: unknown;
  lastError: string | null;
  createdAt: Date;
  runAfter: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface EnqueueOptions {
  /** While a job of this type with this key waits to run, enqueueing another is a no-op (returns null). */
  singletonKey?: string;
  /** Not before this time (a Date) or this many seconds from now. */
  startAfter?: Date | number;
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  tx?: Transaction;
}

export interface ListJobsFilter {
  /** Only jobs whose payload names this tenant; null lists every tenant's (operators, tests). */
  tenantId: string | null;
  states?: readonly JobState[];
  name?: string;
  limit?: number;
}

/** A job claimed by a worker, as the runner needs it. */
export interface ClaimedJob {
  id: string;
  name: string;
  data: unknown;
  attempt: number;
  retryLimit: number;
  expireInSeconds: number;
}

export type LogFn = (level: 'error' | 'warn' | 'info' | 'debug', msg: string, fields?: Record<string, unknown>) => void;

export interface WorkerOptions {
  concurrency: number;
  pollIntervalMs: number;
  shutdownTimeoutMs: number;
  log: LogFn;
}

/** One queue implementation: pg-boss on PostgreSQL, the job_queue table on the embedded database. */
export interface JobBackend {
  readonly kind: 'pg-boss' | 'table';
  enqueue(type: JobType, payload: unknown, options: EnqueueOptions): Promise<string | null>;
  startWorkers(registry: JobRegistry, options: WorkerOptions): Promise<void>;
  /** Stops fetching, waits for running jobs up to the shutdown timeout. */
  stopWorkers(): Promise<void>;
  listJobs(filter: ListJobsFilter): Promise<JobSummary[]>;
  getJob(id: string): Promise<JobSummary | null>;
  /** Puts a failed job back in the queue; false when it is not failed (or not the tenant's). */
  retryJob(id: string, tenantId: string | null): Promise<boolean>;
  /** Cancels a waiting job; false when it already started or finished. */
  cancelJob(id: string, tenantId: string | null): Promise<boolean>;
  close(): Promise<void>;
}
