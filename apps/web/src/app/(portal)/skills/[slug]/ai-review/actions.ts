'use server';

import { revalidatePath } from 'next/cache';
import { requestAiReviewInput, setAiReviewHiddenInput } from '@everyskill/contracts';
import { requestAiReview } from '@everyskill/core/ai-review/request-ai-review';
import { setAiReviewHidden } from '@everyskill/core/ai-review/set-ai-review-hidden';
import { parseInput } from '@everyskill/core/parse-input';
import { toActionState, type ActionState } from '@/server/action-state';
import { memberCtx, requireMember } from '@/server/session';

export async function requestAiReviewAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(requestAiReviewInput, { slug: form.get('slug'), version: form.get('version') || undefined });
    const page = `/skills/${input.slug}/ai-review`;
    await requestAiReview(await memberCtx(await requireMember(page)), input);
    revalidatePath(page);
    return 'Review requested; it appears here in a moment.';
  });
}

export async function setAiReviewHiddenAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(setAiReviewHiddenInput, {
      slug: form.get('slug'),
      version: form.get('version') || undefined,
      hidden: form.get('hidden') === 'true',
    });
    const page = `/skills/${input.slug}/ai-review`;
    await setAiReviewHidden(await memberCtx(await requireMember(page)), input);
    revalidatePath(page);
    return input.hidden ? 'Hidden: only you, admins and reviewers see this review.' : 'Visible to everyone in the workspace again.';
  });
}
