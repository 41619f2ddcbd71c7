import { deviceCodeRequest } from '@everyskill/contracts';
import { startDeviceAuthorization } from '@everyskill/core/cli-devices/start-device-authorization';
import { jsonResponse } from '@/server/api/api-response';
import { hostTenantRoute } from '@/server/api/host-tenant-route';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** Starts a sign-in of the everyskill command on this workspace's host (RFC 8628 device authorization). */
export const POST = hostTenantRoute(async (request, ctx) => {
  const input = await parseJsonBody(request, deviceCodeRequest);
  const started = await startDeviceAuthorization(ctx.db, ctx.tenantId, input, { verificationUri: `${ctx.origin}/device` });
  return jsonResponse(started, { headers: { 'cache-control': 'no-store' } });
});
