// Run with tsx while no server holds the database: `tsx e2e/support/tenant-rows.ts <tenantId>…`
// prints, for each tenant, every table with a tenant_id column (found in the catalogue, so a new
// table is included) with its row count, an md5 over its rows and its row ids: what "unchanged
// rows" and "nothing lost" compare.
import { openOwnerDatabase, rowsOf, sql, withTenant } from '@everyskill/db';

const tenantIds = process.argv.slice(2);
const handle = await openOwnerDatabase();
try {
  const db = handle.db;
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(sql`
      SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`),
  ).map((r) => r.table_name);
  const withId = new Set(
    rowsOf<{ table_name: string }>(
      await db.execute(sql`SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'`),
    ).map((r) => r.table_name),
  );
  const out: Record<string, Record<string, { count: number; md5: string | null; ids?: string[] }>> = {};
  for (const tenantId of tenantIds) {
    out[tenantId] = {};
    await withTenant(db, tenantId, async (tx) => {
      for (const table of tables) {
        const [row] = rowsOf<{ count: number; md5: string | null }>(
          await tx.execute(sql`SELECT count(*)::int AS count, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${sql.identifier(table)} t WHERE tenant_id = ${tenantId}`),
        );
        const ids = withId.has(table)
          ? rowsOf<{ id: string }>(await tx.execute(sql`SELECT id::text AS id FROM ${sql.identifier(table)} WHERE tenant_id = ${tenantId} ORDER BY id`)).map((r) => r.id)
          : undefined;
        out[tenantId]![table] = { ...row!, ...(ids ? { ids } : {}) };
      }
    });
  }
  console.log(JSON.stringify({ tables, tenants: out }));
} finally {
  await handle.close();
}
