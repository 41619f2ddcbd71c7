import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, openDatabase, readAsTenant, rowsOf, sql, tenantPoolsOf, tenants, users, withTenant, type Database } from '../src';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from './harness';

let dbs: TestDatabases;
const tenantIds: string[] = [];

const whoAmI = sql`SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant, (SELECT count(*)::int FROM users) AS users`;
type WhoAmI = { role: string; tenant: string; users: number };

beforeAll(async () => {
  dbs = await openTestDatabases();
  const created = await dbs.owner.db
    .insert(tenants)
    .values([1, 2, 3].map((n) => ({ slug: uniqueSlug(`reads-${n}`), name: `Reads ${n}` })))
    .returning({ id: tenants.id, slug: tenants.slug });
  for (const [i, { id, slug }] of created.entries()) {
    tenantIds.push(id);
    // Tenant n has n people, so a count tells the tenants apart.
    await withTenant(dbs.app.db, id, (tx) =>
      tx.insert(users).values(Array.from({ length: i + 1 }, (_, j) => ({ tenantId: id, email: `p${j}@${slug}.test`, name: `P${j}` }))),
    );
  }
});

/**
 * Runs fn with a PostgreSQL handle that has these bound pools (closed afterwards); on the embedded
 * database with its one handle, which has none.
 */
async function withPools(tenantPools: { tenants: number; max: number }, fn: (db: Database) => Promise<void>): Promise<void> {
  if (mode === 'pglite') return fn(dbs.app.db);
  const handle = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 2, tenantPools });
  try {
    await fn(handle.db);
  } finally {
    await handle.close();
  }
}

afterAll(async () => {
  await dbs?.close();
});

describe(`readAsTenant (${mode})`, () => {
  it('reads as the app role with the tenant set, and sees only that tenant’s rows', async () => {
    for (const [i, tenantId] of tenantIds.entries()) {
      const [row] = rowsOf<WhoAmI>(await readAsTenant(dbs.app.db, tenantId, (q) => q.execute(whoAmI)));
      expect(row).toEqual({ role: APP_ROLE, tenant: tenantId, users: i + 1 });
    }
  });

  it('refuses anything but a tenant uuid', async () => {
    await expect(readAsTenant(dbs.app.db, "x' OR true --", (q) => q.execute(whoAmI))).rejects.toThrow(/tenant uuid/);
  });

  it('a tenant set for one statement ends with it: the next reads are the bound tenant’s again', async () => {
    const [a, b] = tenantIds as [string, string];
    // Each statement is its own transaction, so a local setting (what api_key_for_hash does while
    // it reads memberships) is gone at the next statement on the same connections.
    await readAsTenant(dbs.app.db, a, (q) => q.execute(sql`SELECT set_config('app.tenant_id', ${b}, true)`));
    const reads = await Promise.all(
      Array.from({ length: 20 }, () => readAsTenant(dbs.app.db, a, (q) => q.execute(whoAmI))),
    );
    for (const r of reads) expect(rowsOf<WhoAmI>(r)[0]).toEqual({ role: APP_ROLE, tenant: a, users: 1 });
    // Bound connections on PostgreSQL; the embedded database (one connection) reads in withTenant.
    expect(tenantPoolsOf(dbs.app.db)?.enabled ?? false).toBe(mode === 'postgres');
  });

  it('keeps pools for the most recently used tenants only, and still reads the others', async () => {
    await withPools({ tenants: 2, max: 1 }, async (db) => {
      for (const round of [0, 1]) {
        for (const [i, tenantId] of tenantIds.entries()) {
          const [row] = rowsOf<WhoAmI>(await readAsTenant(db, tenantId, (q) => q.execute(whoAmI)));
          expect(row, `round ${round}, tenant ${i + 1}`).toEqual({ role: APP_ROLE, tenant: tenantId, users: i + 1 });
          expect(tenantPoolsOf(db)?.size ?? 0).toBeLessThanOrEqual(2);
        }
      }
    });
  });

  it('a pool pushed out by other tenants’ reads still finishes the reads that were using it', async () => {
    await withPools({ tenants: 1, max: 1 }, async (db) => {
      // Room for one tenant: every read of another tenant pushes out the pool a read in flight uses.
      const reads = Array.from({ length: 60 }, (_, n) => {
        const i = n % tenantIds.length;
        return readAsTenant(db, tenantIds[i]!, (q) => q.execute(whoAmI)).then((r) => [i, rowsOf<WhoAmI>(r)[0]] as const);
      });
      for (const [i, row] of await Promise.all(reads)) expect(row).toEqual({ role: APP_ROLE, tenant: tenantIds[i], users: i + 1 });
      expect(tenantPoolsOf(db)?.size ?? 0).toBeLessThanOrEqual(1);
    });
  });

  it('with bound pools off (and always on the embedded database), reads go through a tenant transaction', async () => {
    await withPools({ tenants: 0, max: 1 }, async (db) => {
      const [row] = rowsOf<WhoAmI & { tx: boolean }>(
        await readAsTenant(db, tenantIds[1]!, (q) =>
          q.execute(sql`SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant, (SELECT count(*)::int FROM users) AS users, now() = statement_timestamp() AS tx`),
        ),
      );
      // Inside BEGIN … COMMIT, now() is the transaction's start, earlier than the statement's.
      expect(row).toEqual({ role: APP_ROLE, tenant: tenantIds[1], users: 2, tx: false });
      expect(tenantPoolsOf(db)?.size ?? 0).toBe(0);
    });
  });
});
