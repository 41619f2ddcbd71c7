import { randomUUID } from 'node:crypto';
import { migrate, openDatabase, type DbHandle } from '../src';

/** Which database this run exercises: real PostgreSQL when DATABASE_URL is set, PGlite otherwise. */
export const mode: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabases {
  /** Connects as the app's login role (owns nothing). */
  app: DbHandle;
  /** Connects as the schema owner (migrations, tenant creation). */
  owner: DbHandle;
  close(): Promise<void>;
}

/** Migrated databases for a test file: a fresh in-memory PGlite, or the CI PostgreSQL server. */
export async function openTestDatabases(): Promise<TestDatabases> {
  if (mode === 'pglite') {
    const handle = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(handle);
    return { app: handle, owner: handle, close: () => handle.close() };
  }
  const owner = await openDatabase({ url: process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL, poolMax: 4 });
  await migrate(owner);
  const app = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 4 });
  return {
    app,
    owner,
    close: async () => {
      await app.close();
      await owner.close();
    },
  };
}

/** A unique suffix so each test works in its own tenant on a shared server. */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A scratch database on the CI server (postgres mode only), dropped by the returned cleanup. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const ownerUrl = process.env.DATABASE_OWNER_URL;
  if (!adminUrl || !ownerUrl) throw new Error('TEST_PG_ADMIN_URL and DATABASE_OWNER_URL are needed for scratch databases');
  const name = `scratch_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await openDatabase({ url: adminUrl, poolMax: 1 });
  const owner = new URL(ownerUrl);
  await admin.session((s) => s.exec(`CREATE DATABASE ${name} OWNER ${decodeURIComponent(owner.username)}`));
  const scratchAdmin = new URL(adminUrl);
  scratchAdmin.pathname = `/${name}`;
  const su = await openDatabase({ url: scratchAdmin.toString(), poolMax: 1 });
  // Extensions need a superuser on stock PostgreSQL; production provisions them the same way.
  await su.session((s) => s.exec('CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE EXTENSION IF NOT EXISTS pg_trgm;'));
  await su.close();
  owner.pathname = `/${name}`;
  return {
    url: owner.toString(),
    drop: async () => {
      await admin.session((s) => s.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin.close();
    },
  };
}
