import { parseSkillRef, skillRef } from '@everyskill/contracts';
import { getAgentSkillForKey } from '@everyskill/core/agent-skills/get-agent-skill';
import { parseInput } from '@everyskill/core/parse-input';
import { apiReadRoute } from '@/server/api/api-route';

export const dynamic = 'force-dynamic';

/** A skill: metadata and SKILL.md of its latest version, or of `name@version` (key checked in the same statement). */
export const GET = apiReadRoute<{ ref: string }, { slug: string; version?: string }>(
  { scope: 'skills:read', input: (params) => parseSkillRef(parseInput(skillRef, params.ref)) },
  async ({ db, secret, hostTenant, requestId, admit }, ref) =>
    (await getAgentSkillForKey(db, secret, ref, { hostTenant, requestId, admit })).skill,
);
