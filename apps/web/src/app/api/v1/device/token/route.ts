import { deviceTokenRequest } from '@everyskill/contracts';
import { redeemDeviceCode } from '@everyskill/core/cli-devices/redeem-device-code';
import { jsonResponse } from '@/server/api/api-response';
import { hostTenantRoute } from '@/server/api/host-tenant-route';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

const waiting = {
  authorization_pending: 'not approved yet: approve the code on the verification page',
  slow_down: 'polling too fast: wait the interval (now 5 seconds longer) between polls',
  expired_token: 'the code expired before it was approved: run everyskill login again',
  access_denied: 'the sign-in was denied on the verification page',
} as const;

/** The command's poll: 400 with an RFC 8628 code until approved, then the new key, once. */
export const POST = hostTenantRoute(async (request, ctx) => {
  const input = await parseJsonBody(request, deviceTokenRequest);
  const outcome = await redeemDeviceCode(ctx.db, ctx.tenantId, input, { requestId: ctx.requestId });
  const headers = { 'cache-control': 'no-store' };
  if (outcome.status === 'approved') return jsonResponse(outcome.token, { headers });
  return jsonResponse({ error: { code: outcome.status, message: waiting[outcome.status] } }, { status: 400, headers });
});
