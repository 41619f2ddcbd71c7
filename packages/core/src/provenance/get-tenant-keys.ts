import type { TenantKeySet } from '@everyskill/provenance';
import { withTenant, type Database } from '@everyskill/db';
import { lockCurrentSigningKey, readTenantKeySet } from './signing-keys';

/**
 * A tenant's public keys with their validity windows and rotation statements, oldest first: what
 * its host serves at /.well-known/everyskill/keys.json. A tenant that has never signed gets its
 * key now, so a client can pin it before the first publish.
 */
export async function getTenantKeys(db: Database, tenantId: string): Promise<TenantKeySet> {
  const keySet = await withTenant(db, tenantId, (tx) => readTenantKeySet(tx, tenantId));
  if (keySet.keys.length > 0) return keySet;
  return withTenant(db, tenantId, async (tx) => {
    await lockCurrentSigningKey(tx, tenantId);
    return readTenantKeySet(tx, tenantId);
  });
}
