import { apiKeys, eq, tenants, users, withTenant } from '@everyskill/db';
import type { ApiKeyScope, ApiWhoami } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { forbidden, notFound } from '../errors';
import { tenantKeyExpiryDays } from './api-key-access';
import { effectiveExpiry } from './api-key-view';

/** The workspace, person and key an API request acts as (`GET /api/v1/whoami`). */
export async function describeApiKey(ctx: Ctx): Promise<ApiWhoami> {
  const actor = ctx.actor;
  if (actor.kind !== 'api-key') throw forbidden('whoami describes an API key; sign-in sessions have the profile page');
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select({ key: apiKeys, tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name }, user: { id: users.id, email: users.email, name: users.name } })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.id, actor.keyId));
    if (!row) throw notFound('API key');
    const days = await tenantKeyExpiryDays(tx, ctx.tenantId);
    return {
      tenant: row.tenant,
      user: { ...row.user, role: actor.role },
      key: {
        id: row.key.id,
        name: row.key.name,
        displayPrefix: row.key.displayPrefix,
        scopes: actor.scopes as ApiKeyScope[],
        expiresAt: effectiveExpiry(row.key, days).toISOString(),
      },
    };
  });
}
