import { getAgentSkillVersionForKey } from '@everyskill/core/agent-skills/get-agent-skill';
import { apiReadRoute } from '@/server/api/api-route';
import { pathParam } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** One published version of a skill (key checked in the same statement). */
export const GET = apiReadRoute<{ ref: string; version: string }, { slug: string; version: string }>(
  { scope: 'skills:read', input: (params) => ({ slug: pathParam(params.ref), version: pathParam(params.version) }) },
  async ({ db, secret, hostTenant, requestId, admit }, input) =>
    (await getAgentSkillVersionForKey(db, secret, input, { hostTenant, requestId, admit })).version,
);
