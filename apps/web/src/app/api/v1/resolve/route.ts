import { resolveInput } from '@everyskill/contracts';
import { resolveSkills } from '@everyskill/core/agent-skills/resolve-skills';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** For each installed skill: the version to use, the latest, digests and a status (ok, outdated, deprecated, withdrawn, blocked, not_found). */
export const POST = apiRoute({ scope: 'skills:read' }, async (request, ctx) =>
  jsonResponse(await resolveSkills(ctx, await parseJsonBody(request, resolveInput))),
);
