import { describeApiKey } from '@everyskill/core/api-keys/describe-api-key';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({}, async (_request, ctx) => jsonResponse(await describeApiKey(ctx)));
