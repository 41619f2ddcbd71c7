import { apiKeys, desc, eq, users, withTenant } from '@everyskill/db';
import type { ApiKeyView } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { forbidden } from '../errors';
import { canManageTenantKeys, keyOwnerOf, tenantKeyExpiryDays } from './api-key-access';
import { toApiKeyView } from './api-key-view';

/** The actor's own keys, or with `all` (admins only) every key of the tenant; newest first. */
export async function listApiKeys(ctx: Ctx, options: { all?: boolean; forUserId?: string } = {}): Promise<ApiKeyView[]> {
  if (options.all && !canManageTenantKeys(ctx)) throw forbidden('only admins can see every API key of the workspace');
  const ownerId = options.all ? null : keyOwnerOf(ctx, options.forUserId);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const days = await tenantKeyExpiryDays(tx, ctx.tenantId);
    const base = tx
      .select({ key: apiKeys, email: users.email })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.userId));
    const rows = await (ownerId ? base.where(eq(apiKeys.userId, ownerId)) : base).orderBy(desc(apiKeys.createdAt));
    const now = new Date();
    return rows.map((r) => toApiKeyView(r.key, days, r.email, now));
  });
}

/** How many days a key minted now will work: the tenant's key lifetime setting. */
export async function apiKeyLifetimeDays(ctx: Ctx): Promise<number> {
  return withTenant(ctx.db, ctx.tenantId, (tx) => tenantKeyExpiryDays(tx, ctx.tenantId));
}
