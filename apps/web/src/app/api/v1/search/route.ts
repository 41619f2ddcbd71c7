import { apiSearchQuery } from '@everyskill/contracts';
import { searchAgentSkills } from '@everyskill/core/agent-skills/search-agent-skills';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseQuery } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** Skills matching `q`, best first. */
export const GET = apiRoute({ scope: 'skills:read' }, async (request, ctx) =>
  jsonResponse(await searchAgentSkills(ctx, parseQuery(request, apiSearchQuery))),
);
