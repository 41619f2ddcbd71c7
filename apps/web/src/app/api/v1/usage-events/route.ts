import { reportAgentUsage } from '@everyskill/core/agent-skills/report-agent-usage';
import { apiUsageEventInput } from '@everyskill/contracts';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** One use (invocation) or install of a skill reported by an agent; the idempotency key counts it once. */
export const POST = apiRoute({ scope: 'usage:write' }, async (request, ctx) => {
  // The key may come as the standard Idempotency-Key header or in the body (the body wins).
  const event = await parseJsonBody(request, apiUsageEventInput, { idempotencyKey: request.headers.get('idempotency-key') });
  return jsonResponse(await reportAgentUsage(ctx, event));
});
