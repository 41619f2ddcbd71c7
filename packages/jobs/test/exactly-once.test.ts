import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, rowsOf } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { createTableJobBackend, JobQueue, JobRegistry, openJobQueue } from '../src';
import { countingJob } from './fixtures/counting-job';
import { uniquePrefix, waitFor } from './support';

const here = path.dirname(fileURLToPath(import.meta.url));
const JOBS = 200;
let dbs: TestDatabases;
const tables: string[] = [];

beforeAll(async () => {
  dbs = await openTestDatabases();
});

afterAll(async () => {
  for (const table of tables) await dbs.owner.session((s) => s.exec(`DROP TABLE IF EXISTS ${table}`));
  await dbs?.close();
});

async function createExecutionsTable(): Promise<string> {
  const table = `exactly_once_${randomBytes(4).toString('hex')}`;
  tables.push(table);
  await dbs.owner.session((s) =>
    s.exec(`CREATE TABLE ${table} (n integer NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT now());
            GRANT SELECT, INSERT ON ${table} TO everyskill_app`),
  );
  return table;
}

async function executions(table: string) {
  const rows = rowsOf<{ total: number; distinct_jobs: number; workers: Record<string, number> | null }>(
    await dbs.owner.db.execute(sql`
      SELECT count(*)::int AS total, count(DISTINCT n)::int AS distinct_jobs,
        (SELECT jsonb_object_agg(worker, c) FROM (SELECT worker, count(*)::int AS c FROM ${sql.identifier(table)} GROUP BY worker) w) AS workers
      FROM ${sql.identifier(table)}`),
  );
  return rows[0]!;
}

/** Starts a worker process and resolves once it polls. */
function startWorkerProcess(backend: 'pg-boss' | 'table', jobName: string, table: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/exactly-once-worker.ts'), backend, jobName, table], {
    cwd: path.resolve(here, '..'),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      if (String(chunk).includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker process exited early (${code}): ${stderr}`)));
  });
}

function stopWorkerProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function enqueueAll(queue: JobQueue, job: ReturnType<typeof countingJob>): Promise<number> {
  const started = performance.now();
  for (let n = 0; n < JOBS; n++) await queue.enqueue(job, { n });
  return Math.round(performance.now() - started);
}

describe(`exactly-once execution (${mode})`, () => {
  if (mode === 'postgres') {
    for (const backend of ['pg-boss', 'table'] as const) {
      it(`two worker processes over one PostgreSQL (${backend}): ${JOBS} jobs run exactly ${JOBS} times`, async () => {
        const table = await createExecutionsTable();
        const jobName = `${uniquePrefix('once')}.count`;
        const job = countingJob(jobName, table, 'parent');
        const workers = await Promise.all([startWorkerProcess(backend, jobName, table), startWorkerProcess(backend, jobName, table)]);
        const producer =
          backend === 'table'
            ? new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: false }), () => {})
            : openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
        const started = performance.now();
        try {
          const enqueueMs = await enqueueAll(producer, job);
          await waitFor(`${JOBS} executions`, async () => (await executions(table)).total >= JOBS, 120_000);
          const drainedMs = Math.round(performance.now() - started);
          await waitFor('every job completed', async () => {
            const done = await producer.listJobs({ tenantId: null, name: jobName, states: ['completed'], limit: 500 });
            return done.length === JOBS;
          });
          // Give a duplicate run (if there were one) time to land before counting.
          await new Promise((resolve) => setTimeout(resolve, 1500));
          const codes = await Promise.all(workers.map(stopWorkerProcess));
          const result = await executions(table);
          console.log(JSON.stringify({ acceptance: 'exactly-once', backend, jobs: JOBS, ...result, enqueueMs, drainedMs }));
          expect(codes).toEqual([0, 0]);
          expect(result.total).toBe(JOBS);
          expect(result.distinct_jobs).toBe(JOBS);
          // Both processes took part.
          expect(Object.keys(result.workers ?? {})).toHaveLength(2);
          for (const count of Object.values(result.workers ?? {})) expect(count).toBeGreaterThan(0);
        } finally {
          for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
          await producer.close();
        }
      });
    }
  } else {
    it(`two worker pools over one embedded database: ${JOBS} jobs run exactly ${JOBS} times`, async () => {
      const table = await createExecutionsTable();
      const jobName = `${uniquePrefix('once')}.count`;
      const pools = ['pool-a', 'pool-b'].map(
        (label) => [label, new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: false }), () => {})] as const,
      );
      for (const [label, pool] of pools) {
        await pool.startWorkers(new JobRegistry([countingJob(jobName, table, label)]), {
          concurrency: 2,
          pollIntervalMs: 100,
          shutdownTimeoutMs: 10_000,
        });
      }
      try {
        await enqueueAll(pools[0]![1], countingJob(jobName, table, 'producer'));
        await waitFor(`${JOBS} executions`, async () => (await executions(table)).total >= JOBS, 120_000);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const result = await executions(table);
        expect(result.total).toBe(JOBS);
        expect(result.distinct_jobs).toBe(JOBS);
        expect(Object.keys(result.workers ?? {}).sort()).toEqual(['pool-a', 'pool-b']);
      } finally {
        for (const [, pool] of pools) await pool.close();
      }
    });
  }
});
