import { getAgentSkillVersion } from '@everyskill/core/agent-skills/get-agent-skill';
import { apiRoute } from '@/server/api/api-route';
import { pathParam } from '@/server/api/request-input';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** One published version of a skill. */
export const GET = apiRoute<{ ref: string; version: string }>({ scope: 'skills:read' }, async (_request, ctx, params) =>
  jsonResponse(await getAgentSkillVersion(ctx, { slug: pathParam(params.ref), version: pathParam(params.version) })),
);
