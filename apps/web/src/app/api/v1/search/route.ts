import { searchSkillsForAgent } from '@everyskill/core/search/search-skills-for-agent';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { queryRecord } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** The portal's hybrid search over the skills the key may see, best first. */
export const GET = apiRoute({ scope: 'skills:read' }, async (request, ctx) =>
  jsonResponse(await searchSkillsForAgent(ctx, queryRecord(request), { source: 'api' })),
);
