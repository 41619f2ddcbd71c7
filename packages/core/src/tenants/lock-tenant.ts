import { eq, tenants, type Transaction } from '@everyskill/db';

/**
 * Locks the current tenant's row until the transaction ends, serialising the changes that must
 * see each other: first-person-becomes-admin at sign-in and the last-active-admin guard.
 */
export async function lockTenant(tx: Transaction, tenantId: string): Promise<void> {
  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
}
