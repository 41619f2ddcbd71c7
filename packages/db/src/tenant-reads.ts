import postgres from 'postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Database } from './client';
import * as schema from './schema';
import { APP_ROLE, UUID, withTenant } from './with-tenant';

/**
 * Connections bound to one tenant each, for reads that are a single statement.
 *
 * `withTenant` opens a transaction (BEGIN; set tenant and role; the query; COMMIT): four round trips
 * on a connection nobody else may use meanwhile. A connection here is bound when it connects: its
 * startup parameters set `app.tenant_id` and the app role for the whole session, so row-level
 * security applies to every statement on it exactly as inside `withTenant`, each statement is its
 * own transaction, and the reads of many requests pipeline on few connections. Nothing on such a
 * connection ever changes tenant: it serves one tenant until it closes.
 *
 * Each tenant gets a small pool; the most recently used tenants keep theirs (the others are ended
 * once their queries finish), and idle connections close after a while.
 */
export interface TenantPoolOptions {
  /** How many tenants keep a pool at once (0: no bound connections; reads go through withTenant). */
  tenants: number;
  /** Connections per tenant. */
  max: number;
}

interface TenantPool {
  sql: postgres.Sql;
  db: Database;
  /** Reads using the pool now; a pool pushed out of the cache is ended when this reaches 0. */
  active: number;
  evicted: boolean;
}

export class TenantPools {
  private readonly pools = new Map<string, TenantPool>(); // in order of last use, oldest first
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly options: TenantPoolOptions,
    private readonly clientOptions: postgres.Options<Record<string, postgres.PostgresType>>,
  ) {}

  get enabled(): boolean {
    return this.options.tenants > 0 && !this.closed;
  }

  /**
   * Runs fn on the tenant's bound client (created on first use; the least recently used tenant's
   * pool makes room). A pool pushed out while reads use it is ended once the last one finished.
   */
  async run<T>(tenantId: string, fn: (q: Database) => Promise<T>): Promise<T> {
    const pool = this.acquire(tenantId);
    pool.active++;
    try {
      return await fn(pool.db);
    } finally {
      pool.active--;
      if (pool.evicted && pool.active === 0) void pool.sql.end({ timeout: 5 });
    }
  }

  private acquire(tenantId: string): TenantPool {
    if (!UUID.test(tenantId)) throw new Error(`a tenant read needs a tenant uuid; got '${tenantId}'`);
    const known = this.pools.get(tenantId);
    if (known) {
      this.pools.delete(tenantId);
      this.pools.set(tenantId, known);
      return known;
    }
    const sql = postgres(this.url, {
      ...this.clientOptions,
      max: this.options.max,
      connection: { ...this.clientOptions.connection, 'app.tenant_id': tenantId, role: APP_ROLE },
    });
    const pool: TenantPool = { sql, db: drizzlePostgres({ client: sql, schema }) as unknown as Database, active: 0, evicted: false };
    this.pools.set(tenantId, pool);
    while (this.pools.size > this.options.tenants) {
      const [oldest, evicted] = this.pools.entries().next().value as [string, TenantPool];
      this.pools.delete(oldest);
      evicted.evicted = true;
      if (evicted.active === 0) void evicted.sql.end({ timeout: 5 });
    }
    return pool;
  }

  /** How many tenants have a pool now (tests). */
  get size(): number {
    return this.pools.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.sql.end({ timeout: 5 })));
  }
}

// Kept on the db object under a global symbol, not in a module-level map: a bundler may load this
// module more than once in one process (Next's bundles), and every copy must find the pools.
const poolsKey = Symbol.for('everyskill.db.tenant-pools');
type WithPools = { [poolsKey]?: TenantPools };

/** Called by openDatabase: reads of this handle's tenants may use these bound connections. */
export function registerTenantPools(db: Database, pools: TenantPools): void {
  Object.defineProperty(db, poolsKey, { value: pools, enumerable: false });
}

/**
 * Runs a read of ONE statement as a tenant: on PostgreSQL on a connection bound to the tenant (no
 * transaction round trips), on PGlite or when bound pools are off inside `withTenant`. Row-level
 * security applies either way. fn must issue a single statement: two statements here are two
 * transactions and may see different snapshots.
 */
export async function readAsTenant<T>(db: Database, tenantId: string, fn: (q: Database) => Promise<T>): Promise<T> {
  const pools = (db as WithPools)[poolsKey];
  if (!pools?.enabled) return withTenant(db, tenantId, (tx) => fn(tx as unknown as Database));
  return pools.run(tenantId, fn);
}

/** The bound pools behind a handle's db, if any (tests). */
export function tenantPoolsOf(db: Database): TenantPools | undefined {
  return (db as WithPools)[poolsKey];
}
