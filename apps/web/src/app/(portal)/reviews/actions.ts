'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { decideSubmissionInput, submitSkillForReviewInput } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { decideSubmission } from '@everyskill/core/review-workflow/decide-submission';
import { markReviewNotificationsRead } from '@everyskill/core/review-workflow/review-notifications';
import { submitSkillForReview } from '@everyskill/core/review-workflow/submit-skill-for-review';
import { toActionState, type ActionState } from '@/server/action-state';
import { withBlobs } from '@/server/api/skills-ctx';
import { memberCtx, requireMember } from '@/server/session';

export async function submitForReviewAction(_state: ActionState, form: FormData): Promise<ActionState> {
  let submissionId: string | null = null;
  const state = await toActionState(async () => {
    const input = parseInput(submitSkillForReviewInput, { skillMd: form.get('skillMd'), notes: form.get('notes') || undefined });
    const result = await submitSkillForReview(await memberCtx(await requireMember('/reviews/new')), input);
    submissionId = result.submissionId;
    revalidatePath('/reviews');
    return result.revised ? `Revision ${result.revision} submitted.` : 'Submitted for review.';
  });
  if (submissionId) redirect(`/reviews/${submissionId}`);
  return state;
}

export async function decideAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(decideSubmissionInput, {
      submissionId: form.get('submissionId'),
      decision: form.get('decision'),
      comment: form.get('comment') || undefined,
    });
    const ctx = withBlobs(await memberCtx(await requireMember(`/reviews/${input.submissionId}`)));
    const result = await decideSubmission(ctx, input);
    revalidatePath('/reviews', 'layout');
    if (result.published) return `Approved and published as version ${result.published.version}.`;
    return result.status === 'changes_requested' ? 'Changes requested; the author has been notified.' : 'Rejected; the author has been notified.';
  });
}

export async function markNotificationsReadAction(): Promise<void> {
  await markReviewNotificationsRead(await memberCtx(await requireMember('/reviews')));
  revalidatePath('/reviews');
}
