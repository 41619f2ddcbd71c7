import { getAgentSkillVersion } from '@everyskill/core/agent-skills/get-agent-skill';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** One published version of a skill. */
export const GET = apiRoute<{ ref: string; version: string }>({ scope: 'skills:read' }, async (_request, ctx, params) =>
  jsonResponse(await getAgentSkillVersion(ctx, { slug: params.ref, version: decodeURIComponent(params.version) })),
);
