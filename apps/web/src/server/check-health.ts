import 'server-only';
import { healthResponseSchema, type HealthResponse } from '@everyskill/contracts';
import { checkDatabaseHealth, getDatabase, readDbEnv, type DatabaseKind } from '@everyskill/db';
import { getBuildInfo } from './build-info';
import { logger } from './logger';

/**
 * Opening the database and the round trip together get this much. Probes give up at 2 s; the
 * other second is headroom for routing and a cold start on a busy 2-core host, where 1.5 s left
 * too little (2.28 s measured for the first request while a full test run loaded the machine).
 */
export const HEALTH_BUDGET_MS = 1000;
/** The round trip itself (a healthy one takes milliseconds); less when opening used part of the budget. */
const DB_CHECK_MS = 800;

/** The health report `/api/health` serves: `down` when the database does not answer in time. */
export async function checkHealth(): Promise<HealthResponse> {
  const started = performance.now();
  const remaining = () => HEALTH_BUDGET_MS - (performance.now() - started);
  let dbKind: DatabaseKind = 'pglite';
  let db: { ok: boolean; pendingMigrations: number | null; error?: string };
  try {
    dbKind = readDbEnv().DATABASE_URL ? 'postgres' : 'pglite';
    const handle = await withDeadline(getDatabase(), remaining(), 'opening the database');
    const timeoutMs = Math.min(DB_CHECK_MS, remaining());
    db =
      timeoutMs > 0
        ? await checkDatabaseHealth(handle, timeoutMs)
        : { ok: false, pendingMigrations: null, error: 'opening the database used up the time for the check' };
  } catch (error) {
    db = { ok: false, pendingMigrations: null, error: (error as Error).message };
  }
  if (!db.ok) logger.warn('health: database unavailable', { dbKind, error: db.error });

  const pending = db.pendingMigrations;
  return healthResponseSchema.parse({
    status: !db.ok ? 'down' : pending ? 'degraded' : 'ok',
    ...getBuildInfo(),
    db: db.ok ? 'ok' : 'down',
    dbKind,
    pendingMigrations: pending,
    latencyMs: Math.round(performance.now() - started),
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms)} ms`)), Math.max(ms, 0));
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
