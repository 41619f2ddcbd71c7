import { rowsOf, sql, type Database } from '@everyskill/db';
import { AppError } from '../errors';
import { readRateLimitSyncEnv } from './rate-limit-env';

export { readRateLimitConfig, readRateLimitSyncEnv, type RateLimitConfig } from './rate-limit-env';

/** One counter to charge a request to, with its ceiling per window. */
export interface RateLimitRule {
  /** `key:<api key id>`, `tenant:<tenant id>`, `host:<tenant id>` … */
  bucket: string;
  limit: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: Date;
}

interface BucketState {
  /** Start of the local fixed window (ms); a new window starts the bucket afresh. */
  windowStart: number;
  /** The shared total at the last sync (this instance's flushed hits included); null before the first. */
  synced: number | null;
  /** Hits counted here and not yet added to the shared total. */
  pending: number;
  resetAt: Date;
  db: Database;
  windowSeconds: number;
}

// Process-wide: every request of this instance counts into the same buckets.
const buckets = new Map<string, BucketState>();
let flushTimer: NodeJS.Timeout | null = null;
let inFlight: Promise<void> | null = null;

/** Adds the pending hits of `names` (all pending buckets when omitted) to the shared counters. */
async function sync(names?: string[]): Promise<void> {
  const chosen = (names ?? [...buckets.keys()]).map((name) => [name, buckets.get(name)!] as const).filter(([, s]) => s);
  // One statement per (database, window): the database charges each batch to the window it was
  // counted in, so a batch flushed just after a boundary is never charged to the fresh window.
  const groups = new Map<string, { db: Database; windowSeconds: number; windowStart: number; items: (readonly [string, BucketState, number])[] }>();
  const dbIds = new Map<Database, number>();
  for (const [name, state] of chosen) {
    if (state.synced !== null && state.pending === 0) continue;
    if (!dbIds.has(state.db)) dbIds.set(state.db, dbIds.size);
    const key = `${dbIds.get(state.db)}:${state.windowSeconds}:${state.windowStart}`;
    const group = groups.get(key) ?? { db: state.db, windowSeconds: state.windowSeconds, windowStart: state.windowStart, items: [] };
    group.items.push([name, state, state.pending] as const);
    groups.set(key, group);
  }
  let failure: unknown = null;
  for (const { db, ...group } of groups.values()) {
    // Text/int array literals rather than driver arrays, so PGlite and postgres.js bind them alike.
    const bucketList = `{${group.items.map(([n]) => `"${n.replace(/["\\]/g, '')}"`).join(',')}}`;
    const hits = `{${group.items.map(([, , n]) => n).join(',')}}`;
    const windowStart = new Date(group.windowStart).toISOString();
    let rows: { bucket: string; hits: number; window_start: Date | string; resets_at: Date | string }[];
    try {
      rows = rowsOf(
        await db.execute(
          sql`SELECT * FROM rate_limit_add(${bucketList}::text[], ${hits}::integer[], ${group.windowSeconds}::integer, ${windowStart}::timestamptz)`,
        ),
      );
    } catch (error) {
      failure ??= error; // the hits stay pending for the next sync
      continue;
    }
    for (const [name, state, flushed] of group.items) {
      const row = rows.find((r) => r.bucket === name);
      if (!row) continue;
      state.pending -= flushed;
      // A row already in a later window (another instance moved on) says nothing about this one.
      if (new Date(row.window_start).getTime() !== state.windowStart) {
        state.synced ??= 0;
        continue;
      }
      state.synced = Number(row.hits);
      state.resetAt = new Date(row.resets_at);
    }
  }
  // Buckets of past windows with nothing left to add are forgotten, so the map stays small.
  const now = Date.now();
  for (const [name, state] of buckets) {
    if (state.pending === 0 && state.windowStart + state.windowSeconds * 1000 < now) buckets.delete(name);
  }
  // A request waiting for its totals must fail if they could not be had; a background flush just retries later.
  if (failure && names) throw failure;
}

/** One sync at a time per instance; callers that need fresh totals wait for the running one. */
function syncOnce(names?: string[]): Promise<void> {
  const run = (inFlight ?? Promise.resolve()).then(() => sync(names));
  const settled = run.then(
    () => {},
    () => {},
  );
  inFlight = settled;
  void settled.then(() => {
    if (inFlight === settled) inFlight = null;
  });
  return run;
}

function scheduleFlush(): void {
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    // A failed flush keeps its hits pending; the next request schedules another try.
    syncOnce().catch(() => {});
  }, readRateLimitSyncEnv().API_RATE_LIMIT_SYNC_MS);
  flushTimer.unref();
}

/**
 * Counts one request against every rule and refuses it with `rate_limited` when any bucket is
 * over its limit in the current fixed window. The counters live in PostgreSQL, so every app
 * instance shares them; to keep hot buckets (one tenant, one busy key) from serialising every
 * request on one row, an instance counts locally and adds its hits to the shared rows at most
 * every API_RATE_LIMIT_SYNC_MS (200 ms), reading the other instances' totals back. The first
 * request of a bucket in a window waits for the shared total. Across instances a burst can
 * overshoot by what the others served since their last sync. Rules are charged in order (the key
 * before its tenant); a request refused by one rule is not charged to the rules after it. Returns
 * the tightest bucket's state. `cost` counts one request as several (an MCP batch of n calls costs n).
 */
export async function consumeRateLimit(
  db: Database,
  rules: RateLimitRule[],
  windowSeconds: number,
  options: { now?: number; cost?: number } = {},
): Promise<RateLimitState> {
  const now = options.now ?? Date.now();
  const cost = options.cost ?? 1;
  if (!Number.isInteger(cost) || cost < 1) throw new Error(`a rate-limit cost must be a whole number ≥ 1; got ${cost}`);
  const windowStart = Math.floor(now / 1000 / windowSeconds) * windowSeconds * 1000;
  const states = rules.map((rule) => {
    let state = buckets.get(rule.bucket);
    if (!state || state.windowStart !== windowStart || state.windowSeconds !== windowSeconds) {
      state = { windowStart, synced: null, pending: 0, resetAt: new Date(windowStart + windowSeconds * 1000), db, windowSeconds };
      buckets.set(rule.bucket, state);
    }
    state.db = db;
    return state;
  });
  while (states.some((s) => s.synced === null)) await syncOnce(rules.map((r) => r.bucket));

  // Counted synchronously after the totals are known, so each request of this instance gets its own
  // place. Rules are charged in order and a refusal stops there: a key looping past its own limit
  // is not charged to the tenant's bucket, so it cannot use up the rest of the workspace's limit.
  let tightest: (RateLimitState & { bucket: string }) | null = null;
  for (const [i, rule] of rules.entries()) {
    const state = states[i]!;
    state.pending += cost;
    const used = state.synced! + state.pending;
    const candidate = { bucket: rule.bucket, limit: rule.limit, remaining: rule.limit - used, resetAt: state.resetAt };
    if (!tightest || candidate.remaining < tightest.remaining) tightest = candidate;
    if (candidate.remaining < 0) break;
  }
  scheduleFlush();
  const result = tightest as (RateLimitState & { bucket: string }) | null;
  if (!result) throw new Error('consumeRateLimit needs at least one rule');
  if (result.remaining < 0) {
    const retryAfterSeconds = Math.max(1, Math.ceil((result.resetAt.getTime() - now) / 1000));
    const who = result.bucket.startsWith('key:') ? 'this API key' : 'this workspace';
    throw new AppError(
      'rate_limited',
      `${who} made more than ${result.limit} requests in ${windowSeconds} s; retry after ${retryAfterSeconds} s`,
      { retryAfterSeconds, limit: result.limit, scope: result.bucket.split(':')[0] },
    );
  }
  return { limit: result.limit, remaining: result.remaining, resetAt: result.resetAt };
}

/** Adds every batched hit to the shared counters now (tests, graceful shutdown). */
export async function flushRateLimits(): Promise<void> {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  await syncOnce();
}
