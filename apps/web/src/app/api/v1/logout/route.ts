import { revokeApiKey } from '@everyskill/core/api-keys/revoke-api-key';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** Revokes the key that makes this request (the everyskill command's `logout`). */
export const POST = apiRoute({}, async (_request, ctx) => {
  // apiRoute authenticated an API key, so the actor is one.
  const keyId = ctx.actor.kind === 'api-key' ? ctx.actor.keyId : '';
  const key = await revokeApiKey(ctx, { keyId });
  return jsonResponse({ revoked: true, keyId: key.id, name: key.name });
});
