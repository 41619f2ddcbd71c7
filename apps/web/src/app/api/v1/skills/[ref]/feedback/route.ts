import { apiFeedbackInput } from '@everyskill/contracts';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';
import { apiRoute } from '@/server/api/api-route';
import { jsonResponse } from '@/server/api/api-response';
import { parseJsonBody } from '@/server/api/request-input';

export const dynamic = 'force-dynamic';

/** Feedback from an agent: a thumb, a suggestion or a bug report (free text is redacted of secrets). */
export const POST = apiRoute<{ ref: string }>({ scope: 'usage:write' }, async (request, ctx, params) => {
  const input = await parseJsonBody(request, apiFeedbackInput);
  const result = await submitFeedback(ctx, { slug: params.ref, ...input, source: 'api' });
  return jsonResponse(
    { id: result.id, kind: input.kind, body: result.body, feedbackPositive: result.feedbackPositive, feedbackTotal: result.feedbackTotal },
    { status: 201 },
  );
});
