import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Transaction } from '../src';
import { auditLog, memberships, tenantDomains, users } from '../src/schema';

/**
 * One row per tenant-scoped table, inserted under that tenant's context. The isolation matrix
 * test fails for any table with a tenant_id column that has no fixture here: a new table must
 * add one (in dependency order), so no table escapes the isolation check.
 */
export type Fixture = (tx: Transaction, tenantId: string, refs: Record<string, string>) => Promise<void>;

export const tenantFixtures: [table: string, insert: Fixture][] = [
  [
    'tenant_domains',
    async (tx, tenantId) => {
      await tx.insert(tenantDomains).values({ tenantId, domain: `d${randomUUID().slice(0, 8)}.test`, kind: 'email' });
    },
  ],
  [
    'users',
    async (tx, tenantId, refs) => {
      const [u] = await tx
        .insert(users)
        .values({ tenantId, email: `u-${randomUUID().slice(0, 8)}@example.test` })
        .returning({ id: users.id });
      refs.userId = u!.id;
    },
  ],
  [
    'memberships',
    async (tx, tenantId, refs) => {
      await tx.insert(memberships).values({ tenantId, userId: refs.userId!, role: 'member' });
    },
  ],
  [
    'audit_log',
    async (tx, tenantId) => {
      await tx.insert(auditLog).values({ tenantId, action: 'test.fixture', details: {} });
    },
  ],
];

/** Tables every request may read regardless of tenant (lookups before a tenant is known). */
export const globallyReadable = new Set(['tenant_domains']);

/** Append-only tables: no UPDATE for anyone (the trigger refuses it). */
export const appendOnly = new Set(['audit_log']);

export const tenantIdColumnQuery = sql`
  SELECT c.table_name AS table_name
  FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
  WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
  ORDER BY c.table_name`;
