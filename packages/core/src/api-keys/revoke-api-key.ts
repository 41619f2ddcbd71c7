import { apiKeys, eq, users, withTenant } from '@everyskill/db';
import { apiKeyIdInput, type ApiKeyIdInput, type ApiKeyView } from '@everyskill/contracts';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { invalidInput, notFound } from '../errors';
import { canManageTenantKeys, tenantKeyExpiryDays } from './api-key-access';
import { toApiKeyView } from './api-key-view';

/**
 * Revokes a key at once: the next request with it is refused. Its owner or a tenant admin may
 * revoke it; revoking a revoked key changes nothing.
 */
export async function revokeApiKey(ctx: Ctx, input: ApiKeyIdInput): Promise<ApiKeyView> {
  const parsed = apiKeyIdInput.safeParse(input);
  if (!parsed.success) throw invalidInput('keyId must be the id of an API key');
  const actorId = actorUserId(ctx.actor);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, parsed.data.keyId)).for('update');
    // Someone else's key is "not found" to a non-admin: its existence is not theirs to learn.
    if (!key || (key.userId !== actorId && !canManageTenantKeys(ctx))) throw notFound('API key');
    const days = await tenantKeyExpiryDays(tx, ctx.tenantId);
    const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, key.userId));
    if (key.revokedAt) return toApiKeyView(key, days, owner?.email ?? null);
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(), revokedBy: actorId })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: key.id,
      details: { name: key.name, displayPrefix: key.displayPrefix, userId: key.userId },
      requestId: ctx.requestId,
    });
    return toApiKeyView(revoked!, days, owner?.email ?? null);
  });
}
