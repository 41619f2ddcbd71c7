import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PgBoss from 'pg-boss';
import { readMigrationFiles } from '@everyskill/db';
import { mode, openTestDatabases, type TestDatabases } from '@everyskill/db/testing';

const require = createRequire(import.meta.url);
const packageSchemaVersion = (require('pg-boss/version.json') as { schema: number }).schema;
let dbs: TestDatabases;

beforeAll(async () => {
  dbs = await openTestDatabases();
});

afterAll(async () => {
  await dbs?.close();
});

describe(`pg-boss schema from migration 0006 (${mode})`, () => {
  it("is pg-boss's own construction plan for the installed version, minus the transaction it runs in", () => {
    const migration = readMigrationFiles().find((f) => f.name.startsWith('0006_'));
    expect(migration).toBeDefined();
    const plan = PgBoss.getConstructionPlans('pgboss')
      .replace(/^\s*BEGIN;\s*\n/, '')
      .replace(/\n\s*COMMIT;\s*$/, '');
    // Upgrading pg-boss without a migration from PgBoss.getMigrationPlans() fails here.
    expect(migration!.sql).toContain(plan);
  });

  it('the database is at the schema version the installed pg-boss expects', async () => {
    const rows = await dbs.owner.session((s) => s.query<{ version: number }>('SELECT version FROM pgboss.version'));
    expect(rows.map((r) => Number(r.version))).toEqual([packageSchemaVersion]);
  });

  it('the app role owns nothing in the pgboss schema and may not drop queues', async () => {
    const owned = await dbs.app.session((s) =>
      s.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner
        WHERE n.nspname = 'pgboss' AND r.rolname IN (session_user, 'everyskill_app')`),
    );
    const functions = await dbs.owner.session((s) =>
      s.query<{ proname: string; prosecdef: boolean; app_may_execute: boolean }>(`
        SELECT p.proname, p.prosecdef, has_function_privilege('everyskill_app', p.oid, 'EXECUTE') AS app_may_execute
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'pgboss' ORDER BY p.proname`),
    );
    expect(functions).toEqual([
      { proname: 'create_queue', prosecdef: true, app_may_execute: true },
      { proname: 'delete_queue', prosecdef: false, app_may_execute: false },
    ]);
    if (mode === 'postgres') {
      expect(owned[0]?.n).toBe(0);
      await expect(dbs.app.session((s) => s.query(`SELECT pgboss.delete_queue('anything')`))).rejects.toThrow(/permission denied/);
    }
  });
});
