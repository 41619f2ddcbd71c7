import { processWide } from '@everyskill/base/process-wide';
import { openDatabase, type DbHandle } from './client';
import { readDbEnv } from './env';

// One handle per process (a second PGlite on the same directory would be refused by its lock).
const instance = processWide<Promise<DbHandle>>('db.instance', () => {
  const env = readDbEnv();
  return openDatabase({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }).catch((error: unknown) => {
    instance.set(undefined);
    throw error;
  });
});

/** The process-wide app database handle, opened on first use from the environment. */
export function getDatabase(): Promise<DbHandle> {
  return instance.get();
}

/** Closes the process-wide handle (graceful shutdown, end of a script). */
export async function closeDatabase(): Promise<void> {
  const pending = instance.peek();
  instance.set(undefined);
  if (pending) await (await pending).close();
}

/**
 * A handle with the privileges migrations and the admin CLI need: DATABASE_OWNER_URL when set,
 * else DATABASE_URL, else the embedded database.
 */
export function openOwnerDatabase(): Promise<DbHandle> {
  const env = readDbEnv();
  return openDatabase({ url: env.DATABASE_OWNER_URL ?? env.DATABASE_URL, poolMax: 2, tenantPools: { tenants: 0, max: 1 } });
}
