import type { ApiKeyScope, ApiKeyView } from '@everyskill/contracts';
import type { ApiKey } from '@everyskill/db';

/** When a key stops working: its own expiry, or sooner if the tenant has since shortened key lifetimes. */
export function effectiveExpiry(key: { createdAt: Date; expiresAt: Date }, tenantKeyExpiryDays: number): Date {
  const byTenant = key.createdAt.getTime() + tenantKeyExpiryDays * 86_400_000;
  return new Date(Math.min(key.expiresAt.getTime(), byTenant));
}

/** A stored key as the profile page and the API show it: never the hash. */
export function toApiKeyView(
  key: ApiKey,
  tenantKeyExpiryDays: number,
  ownerEmail: string | null,
  now = new Date(),
): ApiKeyView {
  const expiresAt = effectiveExpiry(key, tenantKeyExpiryDays);
  return {
    id: key.id,
    name: key.name,
    displayPrefix: key.displayPrefix,
    scopes: key.scopes as ApiKeyScope[],
    userId: key.userId,
    ownerEmail,
    createdAt: key.createdAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    rotatedFromId: key.rotatedFromId,
    status: key.revokedAt ? 'revoked' : expiresAt <= now ? 'expired' : 'active',
  };
}
