import { deprecateSkillInput } from '@everyskill/contracts';
import { deprecateSkill } from '@everyskill/core/skills/deprecate-skill';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** Deprecates a skill with a message and an optional replacement (its author or an admin). */
export const POST = apiRoute<{ ref: string }>({ scope: 'skills:publish' }, async (request, ctx, params) => {
  const input = await parseJsonBody(request, deprecateSkillInput.omit({ slug: true }));
  return jsonResponse(await deprecateSkill(ctx, { slug: params.ref, ...input }));
});
