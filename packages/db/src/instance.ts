import { openDatabase, type DbHandle } from './client';
import { readDbEnv } from './env';

// One handle per process, kept on globalThis so dev-server module reloads reuse it
// (a second PGlite on the same directory would be refused by its lock).
const globalKey = Symbol.for('everyskill.db.instance');
type Holder = { [globalKey]?: Promise<DbHandle> };

/** The process-wide app database handle, opened on first use from the environment. */
export function getDatabase(): Promise<DbHandle> {
  const holder = globalThis as Holder;
  if (!holder[globalKey]) {
    const env = readDbEnv();
    holder[globalKey] = openDatabase({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }).catch(
      (error: unknown) => {
        delete holder[globalKey];
        throw error;
      },
    );
  }
  return holder[globalKey];
}

/** Closes the process-wide handle (graceful shutdown, end of a script). */
export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[globalKey];
  delete holder[globalKey];
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
