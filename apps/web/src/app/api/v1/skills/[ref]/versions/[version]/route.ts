import { getAgentSkillVersionForKey } from '@everyskill/core/agent-skills/get-agent-skill';
import { apiReadRoute } from '@/server/api/api-route';

export const dynamic = 'force-dynamic';

/** One published version of a skill (key checked in the same statement). */
export const GET = apiReadRoute<{ ref: string; version: string }, { slug: string; version: string }>(
  { scope: 'skills:read', input: (params) => ({ slug: params.ref, version: params.version }) },
  async ({ db, secret, hostTenant, requestId, admit }, input) =>
    (await getAgentSkillVersionForKey(db, secret, input, { hostTenant, requestId, admit })).version,
);
