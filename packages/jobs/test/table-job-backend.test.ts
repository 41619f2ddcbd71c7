import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';
import { createTableJobBackend, defineJob, JobQueue, JobRegistry } from '../src';
import { memoryLog, uniquePrefix, waitFor } from './support';

let dbs: TestDatabases;
const prefix = uniquePrefix('table');
const ran: string[] = [];
const job = defineJob({
  name: `${prefix}.work`,
  payload: z.object({ key: z.string() }),
  retry: { retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 60 },
  handler: async (payload) => {
    ran.push(payload.key);
  },
});
const options = { concurrency: 1, pollIntervalMs: 100, shutdownTimeoutMs: 5_000 };

beforeAll(async () => {
  dbs = await openTestDatabases();
});

afterAll(async () => {
  await dbs?.close();
});

/** A row a crashed worker left behind: claimed ('active') and never finished. */
async function abandonedRun(key: string, startedSecondsAgo: number, expireSeconds: number): Promise<string> {
  const rows = (await dbs.app.db.execute(sql`
    INSERT INTO job_queue (name, payload, state, attempts, retry_limit, retry_delay_seconds, retry_backoff, expire_seconds, started_at)
    VALUES (${job.name}, ${JSON.stringify({ key })}::text::jsonb, 'active', 1, 2, 0, false, ${expireSeconds},
            now() - ${startedSecondsAgo} * interval '1 second')
    RETURNING id`)) as unknown;
  const list = Array.isArray(rows) ? rows : (rows as { rows: { id: string }[] }).rows;
  return (list[0] as { id: string }).id;
}

describe(`job_queue table queue (${mode})`, () => {
  it('retries a run whose worker vanished once its expiry has passed, and leaves a live one alone', async () => {
    const expiredKey = randomUUID();
    const liveKey = randomUUID();
    const expired = await abandonedRun(expiredKey, 120, 60);
    const live = await abandonedRun(liveKey, 1, 60);
    const queue = new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: false }), memoryLog());
    await queue.startWorkers(new JobRegistry([job]), options);
    try {
      const done = await waitFor('the expired run to be retried', async () => {
        const found = await queue.getJob(expired);
        return found?.state === 'completed' ? found : undefined;
      });
      expect(done.attempts).toBe(2);
      expect(ran).toContain(expiredKey);
      expect((await queue.getJob(live))?.state).toBe('running');
      expect(ran).not.toContain(liveKey);
    } finally {
      await queue.close();
    }
  });

  it('on the embedded database, a run left active by a crash is picked up again at start-up', async () => {
    const key = randomUUID();
    const id = await abandonedRun(key, 1, 3600);
    const queue = new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: true }), memoryLog());
    await queue.startWorkers(new JobRegistry([job]), options);
    try {
      await waitFor('the interrupted run to complete', async () => (await queue.getJob(id))?.state === 'completed');
      expect(ran).toContain(key);
    } finally {
      await queue.close();
    }
  });

  it('workers fetch only the job types they have handlers for', async () => {
    const queue = new JobQueue(createTableJobBackend({ db: dbs.app.db, recoverActiveOnStart: false }), memoryLog());
    const other = defineJob({ name: `${prefix}.elsewhere`, payload: z.object({}), handler: async () => {} });
    const id = await queue.enqueue(other, {});
    const mine = await queue.enqueue(job, { key: randomUUID() });
    await queue.startWorkers(new JobRegistry([job]), options);
    try {
      await waitFor('its own job to complete', async () => (await queue.getJob(mine!))?.state === 'completed');
      expect((await queue.getJob(id!))?.state).toBe('queued');
    } finally {
      await queue.close();
    }
  });
});
