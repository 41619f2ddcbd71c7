import { rowsOf, sql, type Database } from '@everyskill/db';
import type { JobRegistry, JobType } from './define-job';
import type {
  ClaimedJob,
  EnqueueOptions,
  JobBackend,
  JobState,
  JobSummary,
  ListJobsFilter,
  WorkerOptions,
} from './job-backend';
import { abortedOutcome, deadlineSignal, errorText, runClaimedJob, type JobOutcome } from './run-claimed-job';

interface JobRow {
  id: string;
  name: string;
  state: string;
  attempts: number;
  retry_limit: number;
  expire_seconds: number;
  payload: unknown;
  last_error: string | null;
  created_at: Date | string;
  run_after: Date | string;
  started_at: Date | string | null;
  completed_at: Date | string | null;
}

type SQL = ReturnType<typeof sql>;

const EXPIRY_SWEEP_MS = 5_000;
const RETENTION_SWEEP_MS = 10 * 60_000;

/**
 * The embedded database's queue: rows in job_queue, claimed with FOR UPDATE SKIP LOCKED (so it is
 * also safe with several processes on PostgreSQL, which the tests exercise), retried with the
 * same policy and backoff formula as pg-boss.
 */
export function createTableJobBackend(options: {
  db: Database;
  /** Only for a single-process database (PGlite): a run found 'active' at start-up was cut off by a crash. */
  recoverActiveOnStart: boolean;
}): JobBackend {
  const { db } = options;
  let workers: Workers | null = null;

  async function enqueue(definition: JobType, payload: unknown, opts: EnqueueOptions): Promise<string | null> {
    const runAfter = startAfterDate(opts.startAfter);
    const rows = rowsOf<{ id: string }>(
      await (opts.tx ?? db).execute(sql`
        INSERT INTO job_queue (name, payload, singleton_key, retry_limit, retry_delay_seconds, retry_backoff, expire_seconds, run_after)
        VALUES (${definition.name}, ${JSON.stringify(payload)}::text::jsonb, ${opts.singletonKey ?? null},
          ${definition.retry.retryLimit}, ${definition.retry.retryDelaySeconds}, ${sqlBool(definition.retry.retryBackoff)},
          ${definition.retry.expireInSeconds}, COALESCE(${runAfter?.toISOString() ?? null}::text::timestamptz, now()))
        ON CONFLICT DO NOTHING
        RETURNING id`),
    );
    workers?.wakeSoon();
    return rows[0]?.id ?? null;
  }

  async function claim(names: string[]): Promise<ClaimedJob | null> {
    const rows = rowsOf<JobRow>(
      await db.execute(sql`
        UPDATE job_queue SET state = 'active', attempts = attempts + 1, started_at = now(), completed_at = NULL, updated_at = now()
        WHERE id = (
          SELECT id FROM job_queue
          WHERE state IN ('queued', 'retry') AND run_after <= now() AND name IN (${sql.join(names.map((n) => sql`${n}`), sql`, `)})
          ORDER BY run_after, created_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
        RETURNING id, name, payload, attempts, retry_limit, expire_seconds`),
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      data: row.payload,
      attempt: Number(row.attempts),
      retryLimit: Number(row.retry_limit),
      expireInSeconds: Number(row.expire_seconds),
    };
  }

  async function record(job: ClaimedJob, outcome: JobOutcome): Promise<void> {
    // Guarded by state and attempt: a run that outlived its expiry (and was retried) records nothing.
    const mine = sql`id = ${job.id}::uuid AND state = 'active' AND attempts = ${job.attempt}`;
    if (outcome.ok) {
      await db.execute(sql`
        UPDATE job_queue SET state = 'completed', completed_at = now(), updated_at = now(), last_error = NULL,
          output = ${jsonOrNull(outcome.output)}::text::jsonb
        WHERE ${mine}`);
      return;
    }
    const final = outcome.permanent ? sql`true` : sql`attempts > retry_limit`;
    await db.execute(sql`
      UPDATE job_queue SET
        state = CASE WHEN ${final} THEN 'failed' ELSE 'retry' END,
        retry_limit = CASE WHEN ${final} THEN LEAST(retry_limit, attempts) ELSE retry_limit END,
        run_after = CASE
          WHEN ${final} THEN run_after
          WHEN retry_backoff THEN now() + (GREATEST(retry_delay_seconds, 1) * 2 ^ LEAST(16, attempts) / 2 * (1 + random())) * interval '1 second'
          ELSE now() + retry_delay_seconds * interval '1 second'
        END,
        completed_at = CASE WHEN ${final} THEN now() END,
        last_error = ${errorText(outcome.error)},
        updated_at = now()
      WHERE ${mine}`);
  }

  /** Runs that outlived their expiry (a crashed or stuck worker) are retried or failed, as pg-boss does. */
  async function failExpired(all: boolean): Promise<void> {
    const expired = all ? sql`true` : sql`started_at + expire_seconds * interval '1 second' < now()`;
    await db.execute(sql`
      UPDATE job_queue SET
        state = CASE WHEN attempts > retry_limit THEN 'failed' ELSE 'retry' END,
        completed_at = CASE WHEN attempts > retry_limit THEN now() END,
        run_after = now(),
        last_error = 'the run did not finish: the worker stopped or it ran longer than ' || expire_seconds || ' s',
        updated_at = now()
      WHERE state = 'active' AND ${expired}`);
  }

  async function deleteOld(): Promise<void> {
    await db.execute(sql`
      DELETE FROM job_queue
      WHERE (state IN ('completed', 'cancelled') AND updated_at < now() - interval '7 days')
         OR (state = 'failed' AND updated_at < now() - interval '30 days')`);
  }

  async function startWorkers(registry: JobRegistry, opts: WorkerOptions): Promise<void> {
    if (workers) return;
    const names = registry.list().map((d) => d.name);
    if (names.length === 0) return;
    if (options.recoverActiveOnStart) await failExpired(true);
    let lastExpirySweep = 0;
    let lastRetentionSweep = 0;
    workers = new Workers(opts, async (signal, index, now) => {
      if (index === 0) {
        if (now - lastExpirySweep > EXPIRY_SWEEP_MS) {
          lastExpirySweep = now;
          await failExpired(false);
        }
        if (now - lastRetentionSweep > RETENTION_SWEEP_MS) {
          lastRetentionSweep = now;
          await deleteOld();
        }
      }
      const job = await claim(names);
      if (!job) return false;
      const definition = registry.get(job.name);
      const deadline = deadlineSignal(signal, job.expireInSeconds * 1000);
      try {
        const outcome: JobOutcome = definition
          ? await Promise.race([
              runClaimedJob(definition, job, { db, signal: deadline.signal, log: opts.log }),
              abortedOutcome(deadline.signal),
            ])
          : { ok: false, permanent: true, error: new Error(`no handler is registered for job type '${job.name}'`) };
        await record(job, outcome);
      } finally {
        deadline.dispose();
      }
      return true;
    });
    workers.start();
  }

  async function stopWorkers(): Promise<void> {
    const current = workers;
    workers = null;
    await current?.stop();
  }

  async function listJobs(filter: ListJobsFilter): Promise<JobSummary[]> {
    const where: SQL[] = [];
    if (filter.tenantId !== null) where.push(sql`payload ->> 'tenantId' = ${filter.tenantId}`);
    if (filter.name) where.push(sql`name = ${filter.name}`);
    if (filter.states?.length) {
      const raw = filter.states.flatMap((s) => tableStatesOf[s]);
      where.push(sql`state IN (${sql.join(raw.map((s) => sql`${s}`), sql`, `)})`);
    }
    const rows = rowsOf<JobRow>(
      await db.execute(sql`
        SELECT id, name, state, attempts, retry_limit, expire_seconds, payload, last_error, created_at, run_after, started_at, completed_at
        FROM job_queue
        ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY created_at DESC, id
        LIMIT ${Math.min(Math.max(filter.limit ?? 100, 1), 500)}`),
    );
    return rows.map(toSummary);
  }

  async function getJob(id: string): Promise<JobSummary | null> {
    const rows = rowsOf<JobRow>(
      await db.execute(sql`
        SELECT id, name, state, attempts, retry_limit, expire_seconds, payload, last_error, created_at, run_after, started_at, completed_at
        FROM job_queue WHERE id = ${id}::uuid`),
    );
    return rows[0] ? toSummary(rows[0]) : null;
  }

  async function retryJob(id: string, tenantId: string | null): Promise<boolean> {
    // One more attempt, like pg-boss's retry(); 'retry' is outside the singleton index, so no conflict.
    const rows = rowsOf(
      await db.execute(sql`
        UPDATE job_queue SET state = 'retry', retry_limit = attempts, run_after = now(), completed_at = NULL, updated_at = now()
        WHERE id = ${id}::uuid AND state = 'failed' ${tenantId === null ? sql`` : sql`AND payload ->> 'tenantId' = ${tenantId}`}
        RETURNING id`),
    );
    if (rows.length) workers?.wakeSoon();
    return rows.length > 0;
  }

  async function cancelJob(id: string, tenantId: string | null): Promise<boolean> {
    const rows = rowsOf(
      await db.execute(sql`
        UPDATE job_queue SET state = 'cancelled', completed_at = now(), updated_at = now()
        WHERE id = ${id}::uuid AND state IN ('queued', 'retry') ${tenantId === null ? sql`` : sql`AND payload ->> 'tenantId' = ${tenantId}`}
        RETURNING id`),
    );
    return rows.length > 0;
  }

  return {
    kind: 'table',
    enqueue,
    startWorkers,
    stopWorkers,
    listJobs,
    getJob,
    retryJob,
    cancelJob,
    close: stopWorkers,
  };
}

const tableStatesOf: Record<JobState, string[]> = {
  queued: ['queued', 'retry'],
  running: ['active'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['cancelled'],
};

function toSummary(row: JobRow): JobSummary {
  const state: JobState =
    row.state === 'active' ? 'running' : row.state === 'retry' ? 'queued' : (row.state as JobState);
  const payload = row.payload;
  const tenantId =
    payload && typeof payload === 'object' && typeof (payload as { tenantId?: unknown }).tenantId === 'string'
      ? (payload as { tenantId: string }).tenantId
      : null;
  return {
    id: row.id,
    name: row.name,
    state,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.retry_limit) + 1,
    tenantId,
    payload,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    runAfter: new Date(row.run_after),
    startedAt: row.started_at ? new Date(row.started_at) : null,
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
  };
}

function startAfterDate(startAfter: Date | number | undefined): Date | null {
  if (startAfter instanceof Date) return startAfter;
  if (typeof startAfter === 'number' && startAfter > 0) return new Date(Date.now() + startAfter * 1000);
  return null;
}

function sqlBool(value: boolean): SQL {
  return value ? sql`true` : sql`false`;
}

function jsonOrNull(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null; // not serialisable (a class instance with cycles): the record keeps no output
  }
}


/**
 * `concurrency` polling loops. A loop that ran a job polls again at once; an idle one sleeps for
 * the poll interval (cut short by a local enqueue). stop() lets running jobs finish, up to the
 * shutdown timeout, then aborts their signals.
 */
export class Workers {
  private stopping = false;
  private readonly controller = new AbortController();
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly options: WorkerOptions,
    private readonly tick: (signal: AbortSignal, index: number, now: number) => Promise<boolean>,
  ) {}

  start(): void {
    this.loops = Array.from({ length: this.options.concurrency }, (_, index) => this.loop(index));
  }

  wakeSoon(): void {
    // A little later: an enqueue inside a transaction becomes visible only once it commits.
    setTimeout(() => this.wake(), 50).unref();
  }

  private wake(): void {
    for (const wake of this.sleepers) wake();
  }

  private async loop(index: number): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.tick(this.controller.signal, index, Date.now());
      } catch (error) {
        this.options.log('error', 'job worker error', { error: (error as Error).message });
      }
      if (!worked && !this.stopping) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const all = Promise.all(this.loops);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownTimeoutMs).unref()),
    ]);
    if (timedOut) {
      this.options.log('warn', 'job workers stopping: interrupting running jobs', {
        timeoutMs: this.options.shutdownTimeoutMs,
      });
      this.controller.abort(new Error('the worker shut down before the job finished'));
      await all;
    }
  }
}
