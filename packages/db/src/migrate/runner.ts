import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbHandle, SqlSession } from '../client';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
/** Any fixed 64-bit key: every runner, on any host, waits on the same advisory lock. */
const MIGRATION_LOCK_KEY = 7_351_902_113;
const FILE_PATTERN = /^\d{4}_[a-z0-9_]+\.sql$/;

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: MigrationFile[];
}

export interface MigrateResult {
  applied: { name: string; durationMs: number }[];
  pending: string[];
  dryRun: boolean;
}

export class MigrationChecksumError extends Error {
  constructor(public readonly file: string) {
    super(
      `Migration ${file} was changed after it was applied (its sha256 no longer matches _applied_migrations). ` +
        'Applied migrations are immutable: restore the file and put the change in a new numbered migration.',
    );
    this.name = 'MigrationChecksumError';
  }
}

/** Reads the numbered `.sql` files in order, with their sha256. */
export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  const names = readdirSync(/*turbopackIgnore: true*/ dir).filter((f) => f.endsWith('.sql')).sort();
  for (const name of names) {
    if (!FILE_PATTERN.test(name)) {
      throw new Error(`Migration file name ${name} must look like 0001_snake_case_name.sql`);
    }
  }
  return names.map((name) => {
    const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

const CREATE_TRACKING_TABLE = `
  CREATE TABLE IF NOT EXISTS _applied_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer NOT NULL
  )`;

const GRANT_TRACKING_READ = `
  DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'everyskill_app') THEN
      GRANT SELECT ON _applied_migrations TO everyskill_app;
    END IF;
  END $$`;

async function readApplied(session: SqlSession): Promise<AppliedMigration[]> {
  const exists = await session.query<{ present: boolean }>(
    `SELECT to_regclass('_applied_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return [];
  const rows = await session.query<{ name: string; checksum: string; applied_at: Date | string; duration_ms: number }>(
    'SELECT name, checksum, applied_at, duration_ms FROM _applied_migrations ORDER BY name',
  );
  return rows.map((r) => ({
    name: r.name,
    checksum: r.checksum,
    appliedAt: new Date(r.applied_at),
    durationMs: Number(r.duration_ms),
  }));
}

function diff(files: MigrationFile[], applied: AppliedMigration[]): MigrationFile[] {
  const byName = new Map(applied.map((a) => [a.name, a]));
  for (const file of files) {
    const done = byName.get(file.name);
    if (done && done.checksum !== file.checksum) throw new MigrationChecksumError(file.name);
  }
  return files.filter((f) => !byName.has(f.name));
}

/** Applied and pending migrations; throws MigrationChecksumError when an applied file changed. */
export async function getMigrationStatus(handle: DbHandle, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = readMigrationFiles(dir);
  return handle.session(async (session) => {
    const applied = await readApplied(session);
    return { applied, pending: diff(files, applied) };
  });
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so
 * concurrent runners serialise: the second waits, then finds nothing left to do.
 */
export async function migrate(
  handle: DbHandle,
  options: { dir?: string; dryRun?: boolean; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const files = readMigrationFiles(options.dir);
  const log = options.log ?? (() => {});
  return handle.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const pending = diff(files, await readApplied(session));
      if (options.dryRun) {
        return { applied: [], pending: pending.map((p) => p.name), dryRun: true };
      }
      await session.exec(CREATE_TRACKING_TABLE);
      const applied: MigrateResult['applied'] = [];
      for (const file of pending) {
        const started = performance.now();
        await session.exec('BEGIN');
        try {
          await session.exec(file.sql);
          const durationMs = Math.round(performance.now() - started);
          await session.query(
            'INSERT INTO _applied_migrations (name, checksum, duration_ms) VALUES ($1, $2, $3)',
            [file.name, file.checksum, durationMs],
          );
          await session.exec('COMMIT');
          applied.push({ name: file.name, durationMs });
          log(`applied ${file.name} in ${durationMs} ms`);
        } catch (error) {
          await session.exec('ROLLBACK');
          throw new Error(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      // The app role reads the tracking table for /api/health's pending count; the role itself
      // is created by 0001, so grant after applying rather than at table creation.
      await session.exec(GRANT_TRACKING_READ);
      return { applied, pending: [], dryRun: false };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
