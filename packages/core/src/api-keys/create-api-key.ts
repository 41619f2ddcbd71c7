import { and, apiKeys, count, eq, gt, isNull, ne, users, withTenant, type Transaction } from '@everyskill/db';
import { createApiKeyInput, type ApiKeyScope, type CreateApiKeyInput, type CreatedApiKey } from '@everyskill/contracts';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict } from '../errors';
import { parseInput } from '../parse-input';
import { activeRoleOf, assertScopesAllowed, keyOwnerOf, tenantKeyExpiryDays } from './api-key-access';
import { displayPrefixOf, generateApiKeySecret, hashApiKey } from './api-key-secret';
import { toApiKeyView } from './api-key-view';

/** How many working keys one person may hold; a bound on forgotten keys, not a quota to plan around. */
export const MAX_ACTIVE_KEYS_PER_PERSON = 25;

/**
 * Mints a key for the signed-in person (or, from the admin CLI, for `forUserId`). Scopes beyond
 * the owner's role are refused; the expiry comes from the tenant's key lifetime. The secret is
 * returned once and never stored.
 */
export async function createApiKey(
  ctx: Ctx,
  input: CreateApiKeyInput,
  options: { forUserId?: string } = {},
): Promise<CreatedApiKey> {
  const { name, scopes } = parseInput(createApiKeyInput, input);
  const userId = keyOwnerOf(ctx, options.forUserId);
  return withTenant(ctx.db, ctx.tenantId, (tx) =>
    insertApiKey(tx, ctx, { userId, name, scopes, action: 'api_key.created' }),
  );
}

/** Inserts a key row and its audit entry inside the caller's transaction (shared with rotation). */
export async function insertApiKey(
  tx: Transaction,
  ctx: Ctx,
  args: { userId: string; name: string; scopes: ApiKeyScope[]; action: string; rotatedFromId?: string },
): Promise<CreatedApiKey> {
  const role = await activeRoleOf(tx, args.userId);
  assertScopesAllowed(role, args.scopes);
  const now = new Date();
  const [held] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.userId, args.userId),
        isNull(apiKeys.revokedAt),
        gt(apiKeys.expiresAt, now),
        // A key being rotated is on its way out (its grace period): its replacement takes its place.
        args.rotatedFromId ? ne(apiKeys.id, args.rotatedFromId) : undefined,
      ),
    );
  if ((held?.n ?? 0) >= MAX_ACTIVE_KEYS_PER_PERSON) {
    throw conflict(`you already hold ${MAX_ACTIVE_KEYS_PER_PERSON} working API keys; revoke one you no longer use first`);
  }
  const days = await tenantKeyExpiryDays(tx, ctx.tenantId);
  const secret = generateApiKeySecret();
  const [key] = await tx
    .insert(apiKeys)
    .values({
      tenantId: ctx.tenantId,
      userId: args.userId,
      name: args.name,
      keyHash: hashApiKey(secret),
      displayPrefix: displayPrefixOf(secret),
      scopes: args.scopes,
      createdAt: now,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
      rotatedFromId: args.rotatedFromId ?? null,
    })
    .returning();
  if (!key) throw new Error('api key insert returned no row');
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, args.userId));
  await recordAudit(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action: args.action,
    targetType: 'api_key',
    targetId: key.id,
    details: { name: key.name, scopes: key.scopes, displayPrefix: key.displayPrefix, userId: key.userId, rotatedFromId: key.rotatedFromId },
    requestId: ctx.requestId,
  });
  return { key: toApiKeyView(key, days, owner?.email ?? null, now), secret };
}
