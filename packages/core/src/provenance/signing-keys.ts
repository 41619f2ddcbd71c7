import { generateSigningKey, type PublicKeyEntry, type TenantKeySet } from '@everyskill/provenance';
import type { KeyObject } from 'node:crypto';
import { asc, eq, isNull, tenants, tenantSigningKeys, type TenantSigningKey, type Transaction } from '@everyskill/db';
import { decryptPrivateKey, encryptPrivateKey } from './signing-key-crypto';
import { readProvenanceEnv } from './provenance-env';

/** The current key of a tenant, decrypted, ready to sign. */
export interface SigningKey {
  row: TenantSigningKey;
  keyid: string;
  privateKey: KeyObject;
}

/** Makes and stores a new key for a tenant (its first, or the next one at a rotation). */
export async function insertSigningKey(
  tx: Transaction,
  tenantId: string,
  validFrom: Date,
  rotation: TenantSigningKey['rotation'] = null,
  generated = generateSigningKey(),
): Promise<TenantSigningKey | null> {
  const privateKeyEncrypted = encryptPrivateKey(readProvenanceEnv(), generated.privateKey, { tenantId, keyid: generated.keyid });
  // A concurrent first key wins on the one-current-key index; the caller reads that one instead.
  const [row] = await tx
    .insert(tenantSigningKeys)
    .values({ tenantId, keyid: generated.keyid, publicKeyPem: generated.publicKeyPem, privateKeyEncrypted, validFrom, rotation })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/**
 * The tenant's current signing key, locked until the transaction ends: everything appended to the
 * tenant's log happens under this lock, one signer at a time. A tenant without a key (created
 * before provenance existed) gets its first one here.
 */
export async function lockCurrentSigningKey(tx: Transaction, tenantId: string): Promise<SigningKey> {
  const current = () =>
    tx
      .select()
      .from(tenantSigningKeys)
      .where(isNull(tenantSigningKeys.validUntil))
      .for('update');
  let [row] = await current();
  if (!row) {
    await insertSigningKey(tx, tenantId, new Date());
    [row] = await current();
  }
  if (!row) throw new Error(`no signing key could be made for tenant ${tenantId}`);
  return { row, keyid: row.keyid, privateKey: decryptPrivateKey(readProvenanceEnv(), row.privateKeyEncrypted, { tenantId, keyid: row.keyid }) };
}

/** A tenant's public keys, oldest first, as served at /.well-known/everyskill/keys.json. */
export async function readTenantKeySet(tx: Transaction, tenantId: string): Promise<TenantKeySet> {
  const [tenant] = await tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`);
  const rows = await tx
    .select()
    .from(tenantSigningKeys)
    .orderBy(asc(tenantSigningKeys.validFrom), asc(tenantSigningKeys.createdAt));
  return { tenant, keys: rows.map(publicKeyEntryOf) };
}

export function publicKeyEntryOf(row: TenantSigningKey): PublicKeyEntry {
  return {
    keyid: row.keyid,
    algorithm: 'ed25519',
    publicKeyPem: row.publicKeyPem,
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    rotation: row.rotation ?? null,
  };
}
