'use server';

import { revalidatePath } from 'next/cache';
import { overrideSafetyVerdict } from '@everyskill/core/skills/safety/override-safety-verdict';
import { requestSafetySecondOpinion } from '@everyskill/core/skills/safety/safety-second-opinion';
import { toActionState, type ActionState } from '@/server/action-state';
import { memberCtx, requireMember } from '@/server/session';

/** An admin releases one blocked version, or an admin or reviewer approves a held one, with a written reason (audited; shown on the page). */
export async function overrideSafetyAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const ctx = await memberCtx(await requireMember(`/skills/${slug}`));
    await overrideSafetyVerdict(ctx, { slug, version: String(form.get('version') ?? ''), reason: String(form.get('reason') ?? '') });
    revalidatePath(`/skills/${slug}`);
    return 'Released: agents can use this version again.';
  });
}

/** An admin asks Claude for a second opinion on one version's safety (a background job; audited; its result shows on the page). */
export async function requestSafetyOpinionAction(_state: ActionState, form: FormData): Promise<ActionState> {
  const slug = String(form.get('slug') ?? '');
  return toActionState(async () => {
    const ctx = await memberCtx(await requireMember(`/skills/${slug}`));
    const status = await requestSafetySecondOpinion(ctx, { slug, version: String(form.get('version') ?? '') || undefined });
    revalidatePath(`/skills/${slug}`);
    return `Asked Claude for a second opinion on ${slug} ${status.version}; it appears here when done.`;
  });
}
