import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { vector } from '@electric-sql/pglite-pgvector';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { readDbEnv } from './env';
import { registerTenantPools, TenantPools, type TenantPoolOptions } from './tenant-reads';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle client both drivers are used through; only the shared PostgreSQL dialect surface. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DatabaseKind = 'postgres' | 'pglite';

/** A single connection for raw SQL (migrations, advisory locks, health). */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
}

export interface DbHandle {
  kind: DatabaseKind;
  db: Database;
  /** Runs fn on one dedicated connection (postgres) or the embedded instance (PGlite). */
  session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; without one the embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory, or 'memory://' for an in-memory database (tests). */
  pgliteDir?: string;
  poolMax?: number;
  /** Connections bound to one tenant each, for one-statement reads (see readAsTenant); postgres only. */
  tenantPools?: TenantPoolOptions;
}

/** Opens a database handle: postgres.js when a URL is given, the embedded PGlite otherwise. */
export async function openDatabase(options: OpenOptions = {}): Promise<DbHandle> {
  if (options.url) {
    const env = options.tenantPools ? null : readDbEnv();
    const tenantPools = options.tenantPools ?? { tenants: env!.DATABASE_TENANT_POOLS, max: env!.DATABASE_TENANT_POOL_MAX };
    return openPostgres(options.url, options.poolMax ?? 10, tenantPools);
  }
  const dir = options.pgliteDir ?? path.join(readDbEnv().dataDir, 'pglite');
  return openPglite(dir);
}

function openPostgres(url: string, max: number, tenantPoolOptions: TenantPoolOptions): DbHandle {
  const clientOptions = {
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { application_name: 'everyskill' },
  };
  const sql = postgres(url, { ...clientOptions, max });
  // Both drivers expose the same PostgreSQL dialect; the cast only widens the result HKT.
  const db = drizzlePostgres({ client: sql, schema }) as unknown as Database;
  const tenantPools = new TenantPools(url, tenantPoolOptions, clientOptions);
  registerTenantPools(db, tenantPools);
  return {
    kind: 'postgres',
    db,
    async session(fn) {
      const reserved = await sql.reserve();
      try {
        return await fn({
          query: async <T>(text: string, params: unknown[] = []) =>
            (await reserved.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
          exec: async (text: string) => {
            await reserved.unsafe(text);
          },
        });
      } finally {
        reserved.release();
      }
    },
    close: async () => {
      await Promise.all([tenantPools.close(), sql.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dir: string): Promise<DbHandle> {
  const inMemory = dir.startsWith('memory://');
  const releaseLock = inMemory ? () => {} : lockDataDir(dir);
  let client: PGlite;
  try {
    client = await PGlite.create(inMemory ? dir : dir, {
      extensions: { vector, pgcrypto, pg_trgm },
    });
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    db,
    // PGlite is one connection: serialise raw sessions so a lock holder is never interleaved.
    session(fn) {
      const run = chain.then(() =>
        fn({
          query: async <T>(text: string, params: unknown[] = []) =>
            (await client.query<T>(text, params)).rows,
          exec: async (text: string) => {
            await client.exec(text);
          },
        }),
      );
      chain = run.catch(() => {});
      return run;
    },
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/** Two processes writing one PGlite directory corrupt it; refuse with a clear message instead. */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockFile = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
  try {
    const holder = Number(readFileSync(lockFile, 'utf8').trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The embedded database at ${dir} is in use by process ${holder}. ` +
          'Stop that process (the portal, a seed or a migration) or set DATABASE_URL to use PostgreSQL.',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
