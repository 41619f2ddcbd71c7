import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../client';
import { createScratchDatabase, mode } from '../../test/harness';
import { getMigrationStatus, MIGRATIONS_DIR, migrate, MigrationChecksumError, readMigrationFiles } from './runner';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A copy of the real migrations plus optional extra files, so tests can edit them freely. */
function migrationsCopy(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'everyskill-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) writeFileSync(path.join(dir, name), sql);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh, empty database of the current mode, with a way to open more connections to it. */
async function freshDatabase(): Promise<{ open(): Promise<DbHandle> }> {
  if (mode === 'pglite') {
    const handle = await openDatabase({ pgliteDir: 'memory://' });
    cleanups.push(() => handle.close());
    return { open: async () => handle };
  }
  const scratch = await createScratchDatabase();
  const handles: DbHandle[] = [];
  cleanups.push(async () => {
    for (const h of handles) await h.close();
    await scratch.drop();
  });
  return {
    open: async () => {
      const h = await openDatabase({ url: scratch.url, poolMax: 2 });
      handles.push(h);
      return h;
    },
  };
}

describe(`migration runner (${mode})`, () => {
  it('applies every file once; a second run applies nothing', async () => {
    const db = await (await freshDatabase()).open();
    const files = readMigrationFiles();
    const first = await migrate(db);
    expect(first.applied.map((a) => a.name)).toEqual(files.map((f) => f.name));
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const status = await getMigrationStatus(db);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((a) => a.name)).toEqual(files.map((f) => f.name));
    const tracked = await db.session((s) =>
      s.query<{ checksum: string; duration_ms: number }>('SELECT checksum, duration_ms FROM _applied_migrations ORDER BY name'),
    );
    expect(tracked.map((t) => t.checksum)).toEqual(files.map((f) => f.checksum));
    expect(tracked.every((t) => Number(t.duration_ms) >= 0)).toBe(true);
  });

  it('does not use drizzle migration tracking', async () => {
    const db = await (await freshDatabase()).open();
    await migrate(db);
    const rows = await db.session((s) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE '%drizzle%' OR schemaname = 'drizzle'`),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('dry run lists pending files and applies nothing', async () => {
    const db = await (await freshDatabase()).open();
    const result = await migrate(db, { dryRun: true });
    expect(result.pending).toEqual(readMigrationFiles().map((f) => f.name));
    const status = await getMigrationStatus(db);
    expect(status.applied).toEqual([]);
  });

  it('refuses to run when an applied file changed, naming the file', async () => {
    const db = await (await freshDatabase()).open();
    const dir = migrationsCopy();
    await migrate(db, { dir });
    const first = readdirSync(dir).sort()[0]!;
    appendFileSync(path.join(dir, first), '\n-- edited after it was applied\n');
    const attempt = migrate(db, { dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(migrate(db, { dir })).rejects.toThrow(first);
    await expect(getMigrationStatus(db, dir)).rejects.toThrow(first);
  });

  it('rolls a failing file back entirely and records nothing for it', async () => {
    const db = await (await freshDatabase()).open();
    const dir = migrationsCopy({
      '9998_creates_then_fails.sql': 'CREATE TABLE half_done (id int); SELECT 1/0;',
    });
    await expect(migrate(db, { dir })).rejects.toThrow('9998_creates_then_fails.sql');
    const rows = await db.session((s) =>
      s.query<{ present: boolean }>(`SELECT to_regclass('half_done') IS NOT NULL AS present`),
    );
    expect(rows[0]?.present).toBe(false);
    const status = await getMigrationStatus(db, dir);
    expect(status.pending.map((p) => p.name)).toEqual(['9998_creates_then_fails.sql']);
  });

  // Two processes against one server: only meaningful on PostgreSQL (PGlite is one connection in one process).
  const postgresOnly = mode === 'postgres' ? it : () => undefined;
  postgresOnly('two runners started together: exactly one applies, neither fails', async () => {
    const database = await freshDatabase();
    // A slow last file keeps the first runner inside the lock while the second one arrives.
    const dir = migrationsCopy({ '9999_slow.sql': 'SELECT pg_sleep(1.5);' });
    const [a, b] = await Promise.all([database.open(), database.open()]);
    const results = await Promise.all([migrate(a, { dir }), migrate(b, { dir })]);
    const counts = results.map((r) => r.applied.length).sort();
    expect(counts).toEqual([0, readMigrationFiles(dir).length]);
    const rows = await a.session((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM _applied_migrations'));
    expect(rows[0]?.n).toBe(readMigrationFiles(dir).length);
  });
});
