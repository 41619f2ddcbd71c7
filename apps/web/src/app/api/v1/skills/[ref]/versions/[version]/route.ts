import { getAgentSkillForKey } from '@everyskill/core/agent-skills/get-agent-skill';
import { notFound } from '@everyskill/core';
import { apiReadRoute } from '@/server/api/api-route';
import { pathParam } from '@/server/api/request-input';
import { jsonResponse } from '@/server/api/api-response';

export const dynamic = 'force-dynamic';

/** One published version of a skill (key checked in the same statement). */
export const GET = apiReadRoute<{ ref: string; version: string }, { slug: string; version: string }>(
  { scope: 'skills:read', input: (params) => ({ slug: pathParam(params.ref), version: pathParam(params.version) }) },
  async ({ db, secret, hostTenant, requestId, admit }, input) => {
    const { skill } = await getAgentSkillForKey(db, secret, input, { hostTenant, requestId, admit });
    if (!skill.latest) throw notFound(`version ${input.version} of '${input.slug}'`);
    return jsonResponse(skill.latest);
  },
);
