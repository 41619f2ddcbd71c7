import { getSkillVersionFiles } from '@everyskill/core/agent-skills/get-skill-files';
import { parseSkillRef } from '@everyskill/contracts';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { withBlobs } from '@/server/api/skills-ctx';

export const dynamic = 'force-dynamic';

/** Every file of a version with the manifest's SHA-256 and mode, for the everyskill command to verify and write; counts an install. */
export const GET = apiRoute<{ ref: string }>({ scope: 'skills:read' }, async (request, ctx, params) => {
  const { slug, version } = parseSkillRef(params.ref);
  const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
  return jsonResponse(await getSkillVersionFiles(withBlobs(ctx), { slug, version, idempotencyKey }, { source: 'cli' }));
});
