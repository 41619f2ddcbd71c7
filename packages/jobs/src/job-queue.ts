import { processWide } from '@everyskill/base/process-wide';
import { getDatabase, readDbEnv, type DbHandle } from '@everyskill/db';
import type { z } from 'zod';
import type { JobRegistry, JobType } from './define-job';
import type { EnqueueOptions, JobBackend, JobSummary, ListJobsFilter, LogFn, WorkerOptions } from './job-backend';
import { readJobsEnv } from './env';
import { createPgBossJobBackend } from './pg-boss-job-backend';
import { createTableJobBackend } from './table-job-backend';

/** The app's queue: validates payloads against their job type, then hands them to the backend. */
export class JobQueue {
  constructor(
    readonly backend: JobBackend,
    private readonly log: LogFn = jsonLog,
  ) {}

  get kind(): JobBackend['kind'] {
    return this.backend.kind;
  }

  /** Queues a job; null when singletonKey matched a job still waiting. Throws on an invalid payload. */
  async enqueue<S extends z.ZodType>(
    definition: JobType<S>,
    payload: z.input<S>,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      throw new Error(`cannot enqueue ${definition.name}: ${problems}`);
    }
    return this.backend.enqueue(definition as unknown as JobType, parsed.data, options);
  }

  /** Starts polling for every job type of the registry (idempotent). */
  startWorkers(registry: JobRegistry, options: Partial<Omit<WorkerOptions, 'log'>> = {}): Promise<void> {
    const env = readJobsEnv();
    return this.backend.startWorkers(registry, {
      concurrency: options.concurrency ?? env.JOBS_CONCURRENCY,
      pollIntervalMs: options.pollIntervalMs ?? env.JOBS_POLL_INTERVAL_MS,
      shutdownTimeoutMs: options.shutdownTimeoutMs ?? env.JOBS_SHUTDOWN_TIMEOUT_MS,
      log: this.log,
    });
  }

  stopWorkers(): Promise<void> {
    return this.backend.stopWorkers();
  }

  listJobs(filter: ListJobsFilter): Promise<JobSummary[]> {
    return this.backend.listJobs(filter);
  }

  getJob(id: string): Promise<JobSummary | null> {
    return this.backend.getJob(id);
  }

  retryJob(id: string, tenantId: string | null): Promise<boolean> {
    return this.backend.retryJob(id, tenantId);
  }

  cancelJob(id: string, tenantId: string | null): Promise<boolean> {
    return this.backend.cancelJob(id, tenantId);
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/**
 * A queue over a database handle: pg-boss when it is PostgreSQL (connecting with the same URL, as
 * the app's login role), the job_queue table when it is the embedded PGlite.
 */
export function openJobQueue(options: { handle: DbHandle; connectionString?: string; log?: LogFn }): JobQueue {
  const log = options.log ?? jsonLog;
  if (options.handle.kind === 'postgres') {
    if (!options.connectionString) throw new Error('openJobQueue: a PostgreSQL handle needs its connection string for pg-boss');
    return new JobQueue(createPgBossJobBackend({ connectionString: options.connectionString, db: options.handle.db, log }), log);
  }
  return new JobQueue(createTableJobBackend({ db: options.handle.db, recoverActiveOnStart: true }), log);
}

// One queue per process, like the database handle.
const processQueue = processWide<Promise<JobQueue>>('jobs.queue', () =>
  (async () => {
    const handle = await getDatabase();
    return openJobQueue({ handle, connectionString: readDbEnv().DATABASE_URL });
  })().catch((error: unknown) => {
    processQueue.set(undefined);
    throw error;
  }),
);

/** The process-wide queue over the app database (DATABASE_URL, else the embedded one), opened on first use. */
export function getJobQueue(): Promise<JobQueue> {
  return processQueue.get();
}

/** Makes `queue` the process-wide one (tests, scripts that open their own database). */
export function setJobQueue(queue: JobQueue | null): void {
  processQueue.set(queue ? Promise.resolve(queue) : undefined);
}

/**
 * Starts the process's workers unless JOBS_WORKERS is off; returns whether it did. The web server
 * calls this at start-up and `pnpm jobs:work` in a process of its own.
 */
export async function startWorkers(registry: JobRegistry): Promise<boolean> {
  if (!readJobsEnv().JOBS_WORKERS) return false;
  const queue = await getJobQueue();
  await queue.startWorkers(registry);
  jsonLog('info', 'job workers started', { backend: queue.kind, jobTypes: registry.list().map((d) => d.name) });
  return true;
}

/** Graceful stop: no new jobs are fetched, running ones get JOBS_SHUTDOWN_TIMEOUT_MS to finish. */
export async function stopWorkers(): Promise<void> {
  const pending = processQueue.peek();
  if (pending) await (await pending).stopWorkers();
}

/** Stops workers and releases the queue's connections (end of a script or process). */
export async function closeJobQueue(): Promise<void> {
  const pending = processQueue.peek();
  processQueue.set(undefined);
  if (pending) await (await pending).close();
}

/** One JSON object per line, like the rest of the product's logs; LOG_LEVEL applies. */
export const jsonLog: LogFn = (level, msg, fields = {}) => {
  const order = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
  const threshold = process.env.LOG_LEVEL?.trim() || 'info';
  if (threshold === 'silent' || order.indexOf(level) > order.indexOf(threshold)) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};
