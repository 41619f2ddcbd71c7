import { withdrawVersionInput } from '@everyskill/contracts';
import { withdrawSkillVersion } from '@everyskill/core/skills/withdraw-skill-version';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** Withdraws one version with a reason (its author or an admin): never the latest again, refused to new installs. */
export const POST = apiRoute<{ ref: string; version: string }>({ scope: 'skills:publish' }, async (request, ctx, params) => {
  const { reason } = await parseJsonBody(request, withdrawVersionInput.pick({ reason: true }));
  const withdrawn = await withdrawSkillVersion(ctx, { slug: params.ref, version: params.version, reason });
  return jsonResponse({ ...withdrawn, withdrawnAt: withdrawn.withdrawnAt.toISOString() });
});
