import { and, apiKeys, eq, isNull, withTenant } from '@everyskill/db';
import {
  API_KEY_ROTATION_GRACE_HOURS,
  apiKeyIdInput,
  type ApiKeyIdInput,
  type ApiKeyScope,
  type CreatedApiKey,
} from '@everyskill/contracts';
import { actorUserId, type Ctx } from '../context';
import { conflict, invalidInput, notFound } from '../errors';
import { tenantKeyExpiryDays } from './api-key-access';
import { effectiveExpiry } from './api-key-view';
import { insertApiKey } from './create-api-key';

/**
 * Replaces a working key with a new one of the same name and scopes. The old key keeps working
 * for API_KEY_ROTATION_GRACE_HOURS (24 h) so agents can be switched over, then expires.
 */
export async function rotateApiKey(ctx: Ctx, input: ApiKeyIdInput): Promise<CreatedApiKey> {
  const parsed = apiKeyIdInput.safeParse(input);
  if (!parsed.success) throw invalidInput('keyId must be the id of an API key');
  const actorId = actorUserId(ctx.actor);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const [old] = await tx.select().from(apiKeys).where(eq(apiKeys.id, parsed.data.keyId)).for('update');
    // Only the owner (or the CLI) rotates: the new secret is shown to whoever rotates.
    if (!old || (ctx.actor.kind !== 'system' && old.userId !== actorId)) throw notFound('API key');
    const now = new Date();
    const days = await tenantKeyExpiryDays(tx, ctx.tenantId);
    if (old.revokedAt || effectiveExpiry(old, days) <= now) {
      throw conflict('only a working key can be rotated; this one is revoked or expired, so create a new key instead');
    }
    // Rotating a key twice would leave two working replacements: the second rotation belongs to the replacement.
    const [successor] = await tx
      .select({ displayPrefix: apiKeys.displayPrefix })
      .from(apiKeys)
      .where(and(eq(apiKeys.rotatedFromId, old.id), isNull(apiKeys.revokedAt)));
    if (successor) {
      throw conflict(`this key was already rotated; rotate or revoke its replacement (${successor.displayPrefix}…) instead`);
    }
    const graceEnd = new Date(now.getTime() + API_KEY_ROTATION_GRACE_HOURS * 3_600_000);
    if (graceEnd < old.expiresAt) await tx.update(apiKeys).set({ expiresAt: graceEnd }).where(eq(apiKeys.id, old.id));
    return insertApiKey(tx, ctx, {
      userId: old.userId,
      name: old.name,
      scopes: old.scopes as ApiKeyScope[],
      action: 'api_key.rotated',
      rotatedFromId: old.id,
    });
  });
}
