import { randomUUID } from 'node:crypto';
import { rowsOf, sql, type Database, type Transaction } from '@everyskill/db';
import PgBoss from 'pg-boss';
import type { JobDefinition, JobRegistry, JobType } from './define-job';
import type { EnqueueOptions, JobBackend, JobState, JobSummary, ListJobsFilter, LogFn, WorkerOptions } from './job-backend';
import { abortedOutcome, deadlineSignal, errorText, runClaimedJob, type JobOutcome } from './run-claimed-job';

const SCHEMA = 'pgboss';

interface BossJobRow {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  data: unknown;
  error_message: string | null;
  created_on: Date | string;
  start_after: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
}

/**
 * The PostgreSQL queue: pg-boss 10 over the app's login role. Its schema comes from migration 0006
 * (so `migrate: false`); queues are created on first use through the definer function granted there.
 * Every queue uses the 'short' policy, which makes singletonKey mean "at most one waiting job per
 * key"; jobs without a key get a unique one so they never collide.
 */
export function createPgBossJobBackend(options: {
  connectionString: string;
  /** The app's drizzle handle, for handlers (pg-boss keeps its own small pool). */
  db: Database;
  log: LogFn;
  poolMax?: number;
}): JobBackend {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: SCHEMA,
    max: options.poolMax ?? 4,
    application_name: 'everyskill-jobs',
    migrate: false,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: 60,
    archiveCompletedAfterSeconds: 24 * 3600,
    // Failed jobs stay in the live table (retryable from the admin page) for a week.
    archiveFailedAfterSeconds: 7 * 24 * 3600,
    deleteAfterDays: 7,
  });
  boss.on('error', (error: Error) => options.log('error', 'pg-boss error', { error: error.message }));

  let starting: Promise<unknown> | null = null;
  const ensuredQueues = new Map<string, Promise<void>>();
  let workerState: { controller: AbortController; inFlight: Set<Promise<void>>; timeoutMs: number } | null = null;

  function started(): Promise<unknown> {
    starting ??= boss.start().catch((error: unknown) => {
      starting = null;
      throw error;
    });
    return starting;
  }

  function ensureQueue(definition: JobType): Promise<void> {
    let pending = ensuredQueues.get(definition.name);
    if (!pending) {
      const queue: PgBoss.Queue = {
        name: definition.name,
        policy: 'short',
        retryLimit: definition.retry.retryLimit,
        retryDelay: definition.retry.retryDelaySeconds,
        retryBackoff: definition.retry.retryBackoff,
        expireInSeconds: definition.retry.expireInSeconds,
      };
      pending = (async () => {
        await started();
        // Processes starting together create the same queues at once, and PostgreSQL may pick one
        // of them as a deadlock victim (40P01): nothing was written, so it simply tries again.
        await retryOnDeadlock(async () => {
          await boss.createQueue(definition.name, queue);
          // createQueue leaves an existing queue alone: bring its policy in line with the code.
          await boss.updateQueue(definition.name, queue);
        });
      })().catch((error: unknown) => {
        ensuredQueues.delete(definition.name);
        throw error;
      });
      ensuredQueues.set(definition.name, pending);
    }
    return pending;
  }

  async function enqueue(definition: JobType, payload: unknown, opts: EnqueueOptions): Promise<string | null> {
    await ensureQueue(definition);
    return boss.send(definition.name, payload as object, {
      singletonKey: opts.singletonKey ?? randomUUID(),
      startAfter: opts.startAfter,
      db: opts.tx ? transactionAdapter(opts.tx) : undefined,
    });
  }

  async function execSql<T>(text: string, values: unknown[] = []): Promise<T[]> {
    await started();
    const result = await boss.getDb().executeSql(text, values);
    return result.rows as T[];
  }

  async function startWorkers(registry: JobRegistry, opts: WorkerOptions): Promise<void> {
    if (workerState) return;
    const state = { controller: new AbortController(), inFlight: new Set<Promise<void>>(), timeoutMs: opts.shutdownTimeoutMs };
    workerState = state;
    for (const definition of registry.list()) {
      await ensureQueue(definition);
      for (let i = 0; i < opts.concurrency; i++) {
        let workerId = '';
        const handler = async ([job]: PgBoss.JobWithMetadata[]): Promise<void> => {
          if (!job) return;
          const run = runOne(definition, job, state.controller.signal, opts.log);
          state.inFlight.add(run);
          try {
            await run;
          } finally {
            state.inFlight.delete(run);
          }
          // pg-boss waits a full polling interval even after a job; a busy queue should not.
          if (workerState === state) boss.notifyWorker(workerId);
        };
        workerId = await boss.work(
          definition.name,
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: Math.max(0.5, opts.pollIntervalMs / 1000) },
          handler,
        );
      }
    }
  }

  /**
   * Runs one job and records the outcome itself, awaited: pg-boss's own completion call is not
   * awaited, and a stop right after could leave a finished job 'active' (and run it again later).
   * The deadline fires just before pg-boss's, so pg-boss never fails a job we are still recording.
   */
  async function runOne(definition: JobDefinition, job: PgBoss.JobWithMetadata, stop: AbortSignal, log: LogFn) {
    const claimed = {
      id: job.id,
      name: job.name,
      data: job.data,
      attempt: job.retryCount + 1,
      retryLimit: job.retryLimit,
      expireInSeconds: Number(job.expireInSeconds),
    };
    const deadline = deadlineSignal(stop, Math.max(1000, claimed.expireInSeconds * 1000 - 1000));
    try {
      const outcome: JobOutcome = await Promise.race([
        runClaimedJob(definition, claimed, { db: options.db, signal: deadline.signal, log }),
        abortedOutcome(deadline.signal),
      ]);
      if (outcome.ok) {
        await boss.complete(job.name, job.id, isPlainObject(outcome.output) ? outcome.output : undefined);
        return;
      }
      if (outcome.permanent) {
        // pg-boss retries while retry_count < retry_limit; closing that gap fails the job for good.
        await execSql(`UPDATE ${SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`, [
          job.name,
          job.id,
        ]);
      }
      await boss.fail(job.name, job.id, { message: errorText(outcome.error) });
    } catch (error) {
      log('error', 'could not record a job outcome', { jobId: job.id, job: job.name, error: (error as Error).message });
    } finally {
      deadline.dispose();
    }
  }

  async function stopWorkers(): Promise<void> {
    const state = workerState;
    workerState = null;
    if (!state) return;
    for (const name of ensuredQueues.keys()) await boss.offWork(name);
    const drained = Promise.all([...state.inFlight]).then(() => false);
    const timedOut = await Promise.race([
      drained,
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), state.timeoutMs).unref()),
    ]);
    if (timedOut) {
      state.controller.abort(new Error('the worker shut down before the job finished'));
      await Promise.all([...state.inFlight]);
    }
  }

  async function listJobs(filter: ListJobsFilter): Promise<JobSummary[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.tenantId !== null) {
      values.push(filter.tenantId);
      conditions.push(`data ->> 'tenantId' = $${values.length}`);
    }
    if (filter.name) {
      values.push(filter.name);
      conditions.push(`name = $${values.length}`);
    }
    if (filter.states?.length) {
      values.push(filter.states.flatMap((s) => bossStatesOf[s]));
      conditions.push(`state::text = ANY($${values.length}::text[])`);
    }
    values.push(Math.min(Math.max(filter.limit ?? 100, 1), 500));
    const rows = await execSql<BossJobRow>(
      `SELECT ${BOSS_COLUMNS} FROM ${SCHEMA}.job
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY created_on DESC, id LIMIT $${values.length}`,
      values,
    );
    return rows.map(toSummary);
  }

  async function findJob(id: string, tenantId: string | null): Promise<BossJobRow | null> {
    const rows = await execSql<BossJobRow>(
      `SELECT ${BOSS_COLUMNS} FROM ${SCHEMA}.job WHERE id = $1::uuid ${tenantId === null ? '' : `AND data ->> 'tenantId' = $2`}`,
      tenantId === null ? [id] : [id, tenantId],
    );
    return rows[0] ?? null;
  }

  async function getJob(id: string): Promise<JobSummary | null> {
    const row = await findJob(id, null);
    return row ? toSummary(row) : null;
  }

  async function retryJob(id: string, tenantId: string | null): Promise<boolean> {
    const row = await findJob(id, tenantId);
    if (!row || row.state !== 'failed') return false;
    await boss.retry(row.name, id);
    return (await findJob(id, tenantId))?.state === 'retry';
  }

  async function cancelJob(id: string, tenantId: string | null): Promise<boolean> {
    const row = await findJob(id, tenantId);
    if (!row || !['created', 'retry'].includes(row.state)) return false;
    await boss.cancel(row.name, id);
    return (await findJob(id, tenantId))?.state === 'cancelled';
  }

  async function close(): Promise<void> {
    await stopWorkers();
    if (starting) {
      await starting.catch(() => {});
      await boss.stop({ graceful: false, wait: true });
    }
    starting = null;
  }

  return { kind: 'pg-boss', enqueue, startWorkers, stopWorkers, listJobs, getJob, retryJob, cancelJob, close };
}

const BOSS_COLUMNS = `id, name, state::text AS state, retry_count, retry_limit, data,
  CASE WHEN state IN ('failed', 'retry') THEN COALESCE(output ->> 'message', output -> 'value' ->> 'message') END AS error_message,
  created_on, start_after, started_on, completed_on`;

const bossStatesOf: Record<JobState, string[]> = {
  queued: ['created', 'retry'],
  running: ['active'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['cancelled'],
};

function toSummary(row: BossJobRow): JobSummary {
  const state: JobState =
    row.state === 'created' || row.state === 'retry' ? 'queued' : row.state === 'active' ? 'running' : (row.state as JobState);
  const data = row.data as { tenantId?: unknown } | null;
  return {
    id: row.id,
    name: row.name,
    state,
    // retry_count counts retries fetched so far; a waiting retry has already run once more than it says.
    attempts: row.state === 'created' ? 0 : Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    tenantId: typeof data?.tenantId === 'string' ? data.tenantId : null,
    payload: row.data,
    lastError: row.error_message,
    createdAt: new Date(row.created_on),
    runAfter: new Date(row.start_after),
    startedAt: row.started_on ? new Date(row.started_on) : null,
    completedAt: row.completed_on ? new Date(row.completed_on) : null,
  };
}

/**
 * Lets pg-boss insert a job inside the caller's drizzle transaction: its `$n` placeholders become
 * drizzle parameters; objects are sent as JSON text and dates as ISO strings, as node-postgres would.
 */
function transactionAdapter(tx: Transaction): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const chunks: ReturnType<typeof sql>[] = [];
      let last = 0;
      for (const match of text.matchAll(/\$(\d+)/g)) {
        chunks.push(sql.raw(text.slice(last, match.index)));
        chunks.push(sql`${toParam(values[Number(match[1]) - 1])}`);
        last = match.index + match[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      return { rows: rowsOf(await tx.execute(sql.join(chunks, sql``))) };
    },
  };
}

function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Runs `work` again (up to 5 times, after a short random pause) when PostgreSQL aborts it as a deadlock victim. */
async function retryOnDeadlock(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}
