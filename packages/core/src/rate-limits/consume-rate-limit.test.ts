import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sql, type DbHandle } from '@everyskill/db';
import { mode, openTestDatabases } from '../../test/agent-access-fixtures';
import { AppError } from '../errors';
import { consumeRateLimit, flushRateLimits, readRateLimitConfig } from './consume-rate-limit';

let dbs: Awaited<ReturnType<typeof openTestDatabases>>;

beforeAll(async () => {
  dbs = await openTestDatabases();
});
afterAll(async () => {
  await dbs?.close();
});

describe(`rate limits (${mode})`, () => {
  it('counts per bucket and refuses the request over the limit with rate_limited and a retry delay', async () => {
    const now = Date.now(); // one instant: a minute ending mid-test cannot start a new window
    const key = `key:${randomUUID()}`;
    const tenant = `tenant:${randomUUID()}`;
    const rules = [
      { bucket: key, limit: 3 },
      { bucket: tenant, limit: 100 },
    ];
    const states = [];
    for (let i = 0; i < 3; i++) states.push(await consumeRateLimit(dbs.app.db, rules, 60, { now }));
    expect(states.map((s) => s.remaining)).toEqual([2, 1, 0]);
    const refused = await consumeRateLimit(dbs.app.db, rules, 60, { now }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(429);
    const details = (refused as AppError).details as { retryAfterSeconds: number; scope: string };
    expect(details.scope).toBe('key');
    expect(details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(details.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key of the same tenant is not affected by the first key's limit.
    await consumeRateLimit(dbs.app.db, [{ bucket: `key:${randomUUID()}`, limit: 3 }, { bucket: tenant, limit: 100 }], 60, { now });
  });

  it('the tenant bucket limits all keys of the tenant together', async () => {
    const now = Date.now(); // one instant: a minute ending mid-test cannot start a new window
    const tenant = `tenant:${randomUUID()}`;
    for (let i = 0; i < 4; i++) await consumeRateLimit(dbs.app.db, [{ bucket: `key:${randomUUID()}`, limit: 10 }, { bucket: tenant, limit: 4 }], 60, { now });
    const refused = (await consumeRateLimit(dbs.app.db, [{ bucket: `key:${randomUUID()}`, limit: 10 }, { bucket: tenant, limit: 4 }], 60, { now }).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(refused.code).toBe('rate_limited');
    expect((refused.details as { scope: string }).scope).toBe('tenant');
  });

  it('a key refused by its own limit is not charged to its tenant, so other keys keep working', async () => {
    const now = Date.now(); // one instant: a minute ending mid-test cannot start a new window
    const tenant = `tenant:${randomUUID()}`;
    const looping = [{ bucket: `key:${randomUUID()}`, limit: 2 }, { bucket: tenant, limit: 4 }];
    for (let i = 0; i < 2; i++) await consumeRateLimit(dbs.app.db, looping, 60, { now });
    for (let i = 0; i < 5; i++) {
      const refused = (await consumeRateLimit(dbs.app.db, looping, 60, { now }).catch((e: unknown) => e)) as AppError;
      expect((refused.details as { scope: string }).scope).toBe('key');
    }
    const other = [{ bucket: `key:${randomUUID()}`, limit: 10 }, { bucket: tenant, limit: 4 }];
    expect((await consumeRateLimit(dbs.app.db, other, 60, { now })).remaining).toBe(1);
    expect((await consumeRateLimit(dbs.app.db, other, 60, { now })).remaining).toBe(0);
    const full = (await consumeRateLimit(dbs.app.db, other, 60, { now }).catch((e: unknown) => e)) as AppError;
    expect((full.details as { scope: string }).scope).toBe('tenant');
  });

  it('starts a fresh window when the old one has passed', async () => {
    const bucket = `key:${randomUUID()}`;
    // Both first requests at one instant of a 1 s window, however slow the machine is between them.
    const now = Date.now();
    await consumeRateLimit(dbs.app.db, [{ bucket, limit: 1 }], 1, { now });
    await expect(consumeRateLimit(dbs.app.db, [{ bucket, limit: 1 }], 1, { now })).rejects.toThrow(/retry after/);
    await new Promise((r) => setTimeout(r, 1000 - (now % 1000) + 50));
    expect((await consumeRateLimit(dbs.app.db, [{ bucket, limit: 1 }], 1)).remaining).toBe(0);
  });

  it('hits of a window that has ended are not charged to the current one when they are flushed late', async () => {
    const bucket = `key:${randomUUID()}`;
    // Count a request late in a 1 s window, then flush after the boundary (as a busy flush timer does).
    while (Date.now() % 1000 < 850 || Date.now() % 1000 > 930) await new Promise((r) => setTimeout(r, 10));
    const now = Date.now();
    await consumeRateLimit(dbs.app.db, [{ bucket, limit: 1 }], 1, { now });
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (now % 1000) + 50 - (Date.now() - now))));
    await flushRateLimits();
    expect((await consumeRateLimit(dbs.app.db, [{ bucket, limit: 1 }], 1)).remaining).toBe(0);
  });

  it('charges each batch to the window it was counted in: late batches of an older window are dropped', async () => {
    const bucket = `key:${randomUUID()}`;
    const add = async (hits: number, windowStart: Date) => {
      const rows = await dbs.app.db.execute(
        sql`SELECT hits, window_start FROM rate_limit_add(${`{"${bucket}"}`}::text[], ${`{${hits}}`}::integer[], 60, ${windowStart.toISOString()}::timestamptz)`,
      );
      const r = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { hits: number; window_start: Date | string }[];
      return { hits: Number(r[0]!.hits), windowStart: new Date(r[0]!.window_start).getTime() };
    };
    const current = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const previous = new Date(current.getTime() - 60_000);
    expect(await add(2, previous)).toEqual({ hits: 2, windowStart: previous.getTime() });
    expect(await add(3, previous)).toEqual({ hits: 5, windowStart: previous.getTime() });
    // The next window starts the row afresh; a batch of the old window arriving after it changes nothing.
    expect(await add(1, current)).toEqual({ hits: 1, windowStart: current.getTime() });
    expect(await add(4, previous)).toEqual({ hits: 1, windowStart: current.getTime() });
    expect(await add(1, current)).toEqual({ hits: 2, windowStart: current.getTime() });
    // A window start far ahead of the database clock would reset the counter: refused.
    const refused = (await add(1, new Date(current.getTime() + 3_600_000)).catch((e: unknown) => e)) as Error & { cause?: Error };
    expect(refused).toBeInstanceOf(Error);
    expect(refused.cause?.message ?? refused.message).toMatch(/ahead of the database clock/);
  });

  it('is shared: counts from concurrent callers on separate connections add up exactly', async () => {
    // Two handles stand for two app instances (on PGlite, the one embedded database).
    const second: DbHandle =
      mode === 'postgres' ? await openDatabase({ url: process.env.DATABASE_URL, poolMax: 4 }) : dbs.app;
    try {
      const bucket = `tenant:${randomUUID()}`;
      // Every call at one instant, so a minute ending during the test cannot split them over two windows.
      const now = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) => consumeRateLimit((i % 2 ? second : dbs.app).db, [{ bucket, limit: 30 }], 60, { now })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);
      await flushRateLimits();
    } finally {
      if (second !== dbs.app) await second.close();
    }
  });

  it('batches hits per instance, adds them to the shared row, and reads other instances’ hits back', async () => {
    const bucket = `tenant:${randomUUID()}`;
    const shared = async () => {
      const rows = await dbs.owner.db.execute(sql`SELECT hits FROM rate_limit_buckets WHERE bucket = ${bucket}`);
      const r = (Array.isArray(rows) ? rows : (rows as { rows: { hits: number }[] }).rows) as { hits: number }[];
      return Number(r[0]?.hits ?? 0);
    };
    // Every hit at one instant, so a minute ending during the test cannot start a new window.
    const now = Date.now();
    const hit = () => consumeRateLimit(dbs.app.db, [{ bucket, limit: 10 }], 60, { now });
    for (let i = 0; i < 3; i++) await hit();
    await flushRateLimits();
    expect(await shared()).toBe(3);
    // Another instance adds its 6 hits; this one learns them at its next sync.
    const windowStart = new Date(Math.floor(now / 60_000) * 60_000).toISOString();
    await dbs.app.db.execute(sql`SELECT * FROM rate_limit_add(${`{"${bucket}"}`}::text[], '{6}'::integer[], 60, ${windowStart}::timestamptz)`);
    expect((await hit()).remaining).toBe(6); // not synced yet
    await flushRateLimits(); // adds this hit, reads back 3 + 6 + 1
    await expect(hit()).rejects.toThrow(/more than 10 requests/);
    await flushRateLimits();
    expect(await shared()).toBe(11);
  });

  it('the app role cannot read or reset the counters directly', async () => {
    const rows = await dbs.app.db.execute(
      sql`SELECT has_table_privilege('everyskill_app', 'rate_limit_buckets', 'SELECT, DELETE, UPDATE') AS s`,
    );
    const r = (Array.isArray(rows) ? rows : (rows as { rows: { s: boolean }[] }).rows) as { s: boolean }[];
    expect(r[0]!.s).toBe(false);
    // PGlite connects as a superuser; on PostgreSQL the app's login role is refused outright.
    if (mode === 'postgres') await expect(dbs.app.db.execute(sql`DELETE FROM rate_limit_buckets`)).rejects.toThrow();
  });

  it('reads its limits from the environment with defaults', () => {
    expect(readRateLimitConfig({})).toEqual({ API_RATE_LIMIT_PER_KEY: 600, API_RATE_LIMIT_PER_TENANT: 3000, API_RATE_LIMIT_WINDOW_SECONDS: 60 });
    expect(readRateLimitConfig({ API_RATE_LIMIT_PER_KEY: '5' }).API_RATE_LIMIT_PER_KEY).toBe(5);
    expect(() => readRateLimitConfig({ API_RATE_LIMIT_PER_KEY: 'many' })).toThrow(/API_RATE_LIMIT_PER_KEY/);
  });
});
