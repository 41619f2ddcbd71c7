import { parseSkillRef, skillRef } from '@everyskill/contracts';
import { getAgentSkill } from '@everyskill/core/agent-skills/get-agent-skill';
import { parseInput } from '@everyskill/core/parse-input';
import { apiRoute } from '@/server/api/api-route';
import { pathParam } from '@/server/api/request-input';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** A skill: metadata and SKILL.md of its latest version, or of `name@version`. */
export const GET = apiRoute<{ ref: string }>({ scope: 'skills:read' }, async (_request, ctx, params) => {
  const ref = parseSkillRef(parseInput(skillRef, pathParam(params.ref)));
  return jsonResponse(await getAgentSkill(ctx, ref));
});
