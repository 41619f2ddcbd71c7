import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The role every app transaction switches to; it owns no table, so row-level security always applies. */
export const APP_ROLE = 'everyskill_app';

/**
 * Runs fn in one transaction scoped to a tenant: sets `app.tenant_id` for row-level security
 * and switches to the unprivileged app role (PGlite connects as a superuser, which would bypass it).
 */
export async function withTenant<T>(
  db: Database,
  tenantId: string,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant needs a tenant uuid; got '${tenantId}'`);
  return db.transaction(async (tx) => {
    await enterAppRole(tx, tenantId);
    return fn(tx);
  });
}

/**
 * Runs fn in one transaction as the app role with no tenant set: global tables (tenants, domains)
 * are readable, every tenant-scoped table returns zero rows.
 */
export async function withoutTenant<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await enterAppRole(tx, '');
    return fn(tx);
  });
}

/**
 * Sets the transaction's tenant and switches to the app role in one statement (one round trip, not
 * two): `set_config('role', …, true)` is `SET LOCAL ROLE`, with the same membership check. Both end
 * with the transaction, so nothing carries over to the pooled connection's next user.
 */
async function enterAppRole(tx: Transaction, tenantId: string): Promise<void> {
  await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${APP_ROLE}, true)`);
}

/** Rows of a raw `execute` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
