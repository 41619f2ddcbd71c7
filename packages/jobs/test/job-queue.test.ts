import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql, withTenant } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { defineJob, JobRegistry, openJobQueue, PermanentJobError, type JobQueue, type JobSummary } from '../src';
import { memoryLog, uniquePrefix, waitFor } from './support';

const prefix = uniquePrefix('queue');
const calls: { key: string; attempt: number; isFinalAttempt: boolean; at: number }[] = [];
const failUntilAttempt = new Map<string, number>();

const echoJob = defineJob({
  name: `${prefix}.echo`,
  payload: z.object({ tenantId: z.string().uuid().optional(), key: z.string(), value: z.number().int() }),
  retry: { retryLimit: 0, retryDelaySeconds: 1 },
  handler: async (payload, ctx) => {
    calls.push({ key: payload.key, attempt: ctx.attempt, isFinalAttempt: ctx.isFinalAttempt, at: Date.now() });
    return { doubled: payload.value * 2 };
  },
});

const flakyJob = defineJob({
  name: `${prefix}.flaky`,
  payload: z.object({ key: z.string() }),
  retry: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true },
  handler: async (payload, ctx) => {
    calls.push({ key: payload.key, attempt: ctx.attempt, isFinalAttempt: ctx.isFinalAttempt, at: Date.now() });
    if (ctx.attempt <= (failUntilAttempt.get(payload.key) ?? 0)) throw new Error(`flaky failure on attempt ${ctx.attempt}`);
  },
});

const permanentJob = defineJob({
  name: `${prefix}.permanent`,
  payload: z.object({ key: z.string() }),
  retry: { retryLimit: 5, retryDelaySeconds: 1 },
  handler: async (payload, ctx) => {
    calls.push({ key: payload.key, attempt: ctx.attempt, isFinalAttempt: ctx.isFinalAttempt, at: Date.now() });
    throw new PermanentJobError('the skill version no longer exists');
  },
});

const slowJob = defineJob({
  name: `${prefix}.slow`,
  payload: z.object({ key: z.string(), ms: z.number().int() }),
  retry: { retryLimit: 0 },
  handler: async (payload, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, payload.ms));
    calls.push({ key: payload.key, attempt: ctx.attempt, isFinalAttempt: ctx.isFinalAttempt, at: Date.now() });
  },
});

const signalsSeen = new Map<string, boolean[]>();
const overrunJob = defineJob({
  name: `${prefix}.overrun`,
  payload: z.object({ key: z.string() }),
  retry: { retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 2 },
  handler: async (payload, ctx) => {
    // The first run overstays its expiry and ignores its signal; the retry is quick.
    if (ctx.attempt === 1) await new Promise((resolve) => setTimeout(resolve, 4000));
    signalsSeen.set(payload.key, [...(signalsSeen.get(payload.key) ?? []), ctx.signal.aborted]);
  },
});

const registry = new JobRegistry([echoJob, flakyJob, permanentJob, slowJob, overrunJob]);
let dbs: TestDatabases;
let queue: JobQueue;
const log = memoryLog();
const workerOptions = { concurrency: 2, pollIntervalMs: 200, shutdownTimeoutMs: 10_000 };

function callsFor(key: string) {
  return calls.filter((c) => c.key === key);
}

async function jobById(id: string): Promise<JobSummary> {
  const job = await queue.getJob(id);
  if (!job) throw new Error(`job ${id} not found`);
  return job;
}

function settled(id: string, state: JobSummary['state']) {
  return waitFor(`job ${id} to be ${state}`, async () => {
    const job = await jobById(id);
    return job.state === state ? job : undefined;
  });
}

beforeAll(async () => {
  dbs = await openTestDatabases();
  queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log });
  await queue.startWorkers(registry, workerOptions);
});

afterAll(async () => {
  await queue?.close();
  await dbs?.close();
});

describe(`job queue (${mode})`, () => {
  it(`uses ${mode === 'postgres' ? 'pg-boss' : 'the job_queue table'} and runs a job once with its parsed payload`, async () => {
    expect(queue.kind).toBe(mode === 'postgres' ? 'pg-boss' : 'table');
    const key = randomUUID();
    const id = await queue.enqueue(echoJob, { key, value: 21 });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const job = await settled(id!, 'completed');
    expect(job).toMatchObject({ name: echoJob.name, attempts: 1, maxAttempts: 1, lastError: null });
    expect(job.completedAt).toBeInstanceOf(Date);
    expect(callsFor(key)).toEqual([expect.objectContaining({ attempt: 1, isFinalAttempt: true })]);
  });

  it('refuses a payload that does not match the job type, naming the field', async () => {
    await expect(queue.enqueue(echoJob, { key: 'x', value: 'nope' as unknown as number })).rejects.toThrow(/value/);
  });

  it('retries a failing job with growing backoff, then completes it', async () => {
    const key = randomUUID();
    failUntilAttempt.set(key, 2);
    const id = await queue.enqueue(flakyJob, { key });
    const job = await settled(id!, 'completed');
    expect(job.attempts).toBe(3);
    const runs = callsFor(key);
    expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(runs.map((r) => r.isFinalAttempt)).toEqual([false, false, true]);
    // retryDelay 1 s with backoff: the first retry waits 1-2 s, the second 2-4 s.
    const firstGap = runs[1]!.at - runs[0]!.at;
    const secondGap = runs[2]!.at - runs[1]!.at;
    expect(firstGap).toBeGreaterThanOrEqual(900);
    expect(secondGap).toBeGreaterThanOrEqual(1900);
  });

  it('fails a job visibly once its retries are used up, and retries it on demand', async () => {
    const key = randomUUID();
    failUntilAttempt.set(key, 99);
    const id = await queue.enqueue(flakyJob, { key });
    const failed = await settled(id!, 'failed');
    expect(failed).toMatchObject({ attempts: 3, maxAttempts: 3 });
    expect(failed.lastError).toContain('flaky failure on attempt 3');
    expect((await queue.listJobs({ tenantId: null, name: flakyJob.name, states: ['failed'] })).map((j) => j.id)).toContain(id);

    failUntilAttempt.set(key, 0);
    expect(await queue.retryJob(id!, null)).toBe(true);
    const completed = await settled(id!, 'completed');
    expect(completed.attempts).toBe(4);
    expect(await queue.retryJob(id!, null)).toBe(false); // only failed jobs can be retried
  });

  it('fails at once on a permanent error, without retrying', async () => {
    const key = randomUUID();
    const id = await queue.enqueue(permanentJob, { key });
    const failed = await settled(id!, 'failed');
    expect(failed.lastError).toContain('no longer exists');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a retry would have run by now
    expect(callsFor(key)).toHaveLength(1);
  });

  it('fails a run that outlives its expiry (aborting its signal) and retries it', async () => {
    const key = randomUUID();
    const id = await queue.enqueue(overrunJob, { key });
    const job = await settled(id!, 'completed');
    expect(job.attempts).toBe(2);
    // The overrunning first run saw its signal aborted; the retry did not.
    await waitFor('the first run to end', async () => (signalsSeen.get(key)?.length ?? 0) === 2, 10_000);
    expect(signalsSeen.get(key)!.slice().sort()).toEqual([false, true]);
  });

  it('keeps one waiting job per singleton key', async () => {
    const key = randomUUID();
    const first = await queue.enqueue(echoJob, { key, value: 1 }, { singletonKey: key, startAfter: 3600 });
    const second = await queue.enqueue(echoJob, { key, value: 2 }, { singletonKey: key, startAfter: 3600 });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(await queue.cancelJob(first!, null)).toBe(true);
    // Once the first is no longer waiting, the key is free again.
    const third = await queue.enqueue(echoJob, { key, value: 3 }, { singletonKey: key });
    expect(third).not.toBeNull();
    await settled(third!, 'completed');
  });

  it('cancels a waiting job, but only for its own tenant', async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const id = await queue.enqueue(echoJob, { tenantId: tenantA, key: randomUUID(), value: 1 }, { startAfter: 3600 });
    expect((await jobById(id!)).state).toBe('queued');
    expect(await queue.cancelJob(id!, tenantB)).toBe(false);
    expect(await queue.cancelJob(id!, tenantA)).toBe(true);
    expect((await jobById(id!)).state).toBe('cancelled');
    expect(await queue.cancelJob(id!, tenantA)).toBe(false);
  });

  it("lists a tenant's jobs only", async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const a = await queue.enqueue(echoJob, { tenantId: tenantA, key: randomUUID(), value: 1 });
    const b = await queue.enqueue(echoJob, { tenantId: tenantB, key: randomUUID(), value: 2 });
    await settled(a!, 'completed');
    await settled(b!, 'completed');
    const listed = await queue.listJobs({ tenantId: tenantA });
    expect(listed.map((j) => j.id)).toEqual([a]);
    expect(listed[0]).toMatchObject({ tenantId: tenantA, state: 'completed', payload: expect.objectContaining({ value: 1 }) });
  });

  it('enqueues inside a transaction: a rollback leaves no job, a commit (as the app role) runs it', async () => {
    const rolledBack = randomUUID();
    await expect(
      dbs.app.db.transaction(async (tx) => {
        await queue.enqueue(echoJob, { key: rolledBack, value: 1 }, { tx });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    const tenantId = randomUUID();
    const committed = randomUUID();
    const id = await withTenant(dbs.app.db, tenantId, async (tx) => {
      const role = await tx.execute(sql`select current_user as who`);
      expect(JSON.stringify(role)).toContain('everyskill_app');
      return queue.enqueue(echoJob, { tenantId, key: committed, value: 5 }, { tx });
    });
    await settled(id!, 'completed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callsFor(committed)).toHaveLength(1);
    expect(callsFor(rolledBack)).toHaveLength(0);
    expect(await queue.listJobs({ tenantId: null, name: echoJob.name, limit: 500 })).not.toContainEqual(
      expect.objectContaining({ payload: expect.objectContaining({ key: rolledBack }) }),
    );
  });

  it('stops gracefully: a running job finishes before stopWorkers resolves', async () => {
    const key = randomUUID();
    const id = await queue.enqueue(slowJob, { key, ms: 1500 });
    await settled(id!, 'running');
    const started = Date.now();
    await queue.stopWorkers();
    expect(callsFor(key)).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThan(300);
    expect((await jobById(id!)).state).toBe('completed');

    // Stopped workers fetch nothing; started again, they pick the waiting job up.
    const later = await queue.enqueue(echoJob, { key: randomUUID(), value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await jobById(later!)).state).toBe('queued');
    await queue.startWorkers(registry, workerOptions);
    await settled(later!, 'completed');
  });
});
