import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, rowsOf, sql, tenants, withTenant, withoutTenant, type Transaction } from '../src';
import { mode, openTestDatabases, uniqueSlug, type TestDatabases } from './harness';
import { appendOnly, globallyReadable, tenantFixtures, tenantIdColumnQuery } from './tenant-fixtures';

let dbs: TestDatabases;
let tenantA: string;
let tenantB: string;

async function count(tx: Transaction, table: string, where = 'true'): Promise<number> {
  const rows = rowsOf<{ n: number }>(await tx.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)));
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  dbs = await openTestDatabases();
  const created = await dbs.owner.db
    .insert(tenants)
    .values([
      { slug: uniqueSlug('iso-a'), name: 'Isolation A' },
      { slug: uniqueSlug('iso-b'), name: 'Isolation B' },
    ])
    .returning({ id: tenants.id });
  tenantA = created[0]!.id;
  tenantB = created[1]!.id;
  for (const tenantId of [tenantA, tenantB]) {
    const refs: Record<string, string> = {};
    for (const [, insert] of tenantFixtures) {
      await withTenant(dbs.app.db, tenantId, (tx) => insert(tx, tenantId, refs));
    }
  }
});

afterAll(async () => {
  await dbs?.close();
});

describe(`tenant isolation matrix (${mode})`, () => {
  it('every table with a tenant_id column has a fixture, forced RLS and policies', async () => {
    const tables = rowsOf<{ table_name: string }>(await dbs.owner.db.execute(tenantIdColumnQuery)).map((r) => r.table_name);
    expect(tables.length).toBeGreaterThanOrEqual(tenantFixtures.length);
    expect(tables.sort()).toEqual(tenantFixtures.map(([t]) => t).sort());
    const flags = rowsOf<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }>(
      await dbs.owner.db.execute(sql`
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'`),
    );
    for (const table of tables) {
      const f = flags.find((r) => r.relname === table);
      expect(f, table).toBeDefined();
      expect(f!.relrowsecurity, `${table} has RLS enabled`).toBe(true);
      expect(f!.relforcerowsecurity, `${table} has FORCE RLS`).toBe(true);
      expect(f!.policies, `${table} has policies`).toBeGreaterThan(0);
    }
  });

  it('the app role owns no table, and app transactions run as it', async () => {
    const rows = rowsOf<{ who: string; owned: number }>(
      await withTenant(dbs.app.db, tenantA, (tx) =>
        tx.execute(sql`SELECT current_user AS who,
          (SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
           WHERE r.rolname = current_user AND c.relkind IN ('r', 'p', 'v', 'm')) AS owned`),
      ),
    );
    expect(rows[0]).toEqual({ who: APP_ROLE, owned: 0 });
    // Role and tenant are transaction-local: the pooled connection's next statement has neither.
    for (let i = 0; i < 3; i++) {
      const after = rowsOf<{ who: string; tenant: string | null }>(
        await dbs.app.db.execute(sql`SELECT current_user AS who, nullif(current_setting('app.tenant_id', true), '') AS tenant`),
      );
      expect(after[0]!.tenant).toBeNull();
      if (mode === 'postgres') expect(after[0]!.who).not.toBe(APP_ROLE);
    }
    if (mode === 'postgres') {
      // The login role of DATABASE_URL itself owns nothing and is no superuser.
      const login = await dbs.app.session((s) =>
        s.query<{ owned: number; su: boolean }>(`SELECT
          (SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
           WHERE r.rolname = session_user AND c.relkind IN ('r', 'p', 'v', 'm')) AS owned,
          (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS su`),
      );
      expect(login[0]).toEqual({ owned: 0, su: false });
    }
  });

  for (const [table] of tenantFixtures) {
    it(`${table}: tenant A sees only its rows and cannot touch B's`, async () => {
      await withTenant(dbs.app.db, tenantA, async (tx) => {
        expect(await count(tx, table, `tenant_id = '${tenantA}'`)).toBeGreaterThan(0);
        if (!globallyReadable.has(table)) {
          expect(await count(tx, table, `tenant_id = '${tenantB}'`)).toBe(0);
          expect(await count(tx, table, `tenant_id <> '${tenantA}'`)).toBe(0);
        }
      });
      if (!appendOnly.has(table)) {
        const updated = await withTenant(dbs.app.db, tenantA, (tx) =>
          tx.execute(sql.raw(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = '${tenantB}' RETURNING 1`)),
        );
        expect(rowsOf(updated).length).toBe(0);
        const deleted = await withTenant(dbs.app.db, tenantA, (tx) =>
          tx.execute(sql.raw(`DELETE FROM ${table} WHERE tenant_id = '${tenantB}' RETURNING 1`)),
        );
        expect(rowsOf(deleted).length).toBe(0);
        // Moving one of A's rows to B is refused by the policy's WITH CHECK.
        await expect(
          withTenant(dbs.app.db, tenantA, (tx) =>
            tx.execute(sql.raw(`UPDATE ${table} SET tenant_id = '${tenantB}' WHERE tenant_id = '${tenantA}'`)),
          ),
        ).rejects.toThrow();
      }
      // Inserting a row that claims tenant B while acting as A is refused.
      const fixture = tenantFixtures.find(([t]) => t === table)![1];
      const refs: Record<string, string> = {};
      await expect(
        withTenant(dbs.app.db, tenantA, async (tx) => {
          for (const [t, insert] of tenantFixtures) {
            if (t === table) break;
            await insert(tx, tenantA, refs);
          }
          await fixture(tx, tenantB, refs);
        }),
      ).rejects.toThrow();
    });
  }

  it('with no tenant set, tenant tables return zero rows', async () => {
    await withoutTenant(dbs.app.db, async (tx) => {
      for (const [table] of tenantFixtures) {
        if (globallyReadable.has(table)) continue;
        expect(await count(tx, table), table).toBe(0);
      }
    });
    if (mode === 'postgres') {
      // Even without withTenant's role switch, the login role sees nothing.
      for (const [table] of tenantFixtures) {
        if (globallyReadable.has(table)) continue;
        const rows = await dbs.app.session((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
        expect(rows[0]?.n, table).toBe(0);
      }
    }
  });

  it('the audit log is append-only, even for its owner', async () => {
    await expect(
      withTenant(dbs.app.db, tenantA, (tx) => tx.execute(sql`UPDATE audit_log SET action = 'rewritten'`)),
    ).rejects.toThrow();
    const before = await withTenant(dbs.app.db, tenantA, (tx) => count(tx, 'audit_log'));
    expect(before).toBeGreaterThan(0);
    // The owner is refused too: by the trigger (PGlite superuser) or by forced RLS having no
    // DELETE policy (PostgreSQL owner, zero rows reachable). Either way nothing disappears.
    await dbs.owner.session((s) => s.exec(`DELETE FROM audit_log WHERE tenant_id = '${tenantA}'`)).catch((error: Error) => {
      expect(error.message).toMatch(/append-only/);
    });
    await expect(dbs.owner.session((s) => s.exec('TRUNCATE audit_log'))).rejects.toThrow();
    expect(await withTenant(dbs.app.db, tenantA, (tx) => count(tx, 'audit_log'))).toBe(before);
  });
});
