'use server';

import { revalidatePath } from 'next/cache';
import { updateReviewSettingsInput } from '@everyskill/contracts';
import { parseInput } from '@everyskill/core/parse-input';
import { updateReviewSettings } from '@everyskill/core/review-workflow/review-settings';
import { requestSafetyRescan } from '@everyskill/core/skills/safety/safety-rescans';
import { toActionState, type ActionState } from '@/server/action-state';
import { requireAdminCtx } from '@/server/session';

const PAGE = '/admin/reviews';

export async function updateReviewSettingsAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const threshold = String(form.get('autoApproveThreshold') ?? '').trim();
    const input = parseInput(updateReviewSettingsInput, {
      reviewMode: form.get('reviewMode'),
      autoApproveThreshold: threshold === '' ? null : Number(threshold),
      safetyBlockPolicy: form.get('safetyBlockPolicy') ?? undefined,
    });
    const saved = await updateReviewSettings(await requireAdminCtx(PAGE), input);
    revalidatePath(PAGE);
    const safety = saved.safetyBlockPolicy === 'hold' ? ' Versions the safety scan blocks are held for review.' : ' Versions the safety scan blocks are refused.';
    return (
      (saved.reviewMode === 'approval'
        ? `Saved: skills are published after approval${saved.autoApproveThreshold ? `, automatically when every AI score is at least ${saved.autoApproveThreshold}` : ''}.`
        : 'Saved: skills are published directly.') + safety
    );
  });
}

/** Queues a rescan of every latest version under the current safety rules (admins; audited). */
export async function requestSafetyRescanAction(_state: ActionState): Promise<ActionState> {
  return toActionState(async () => {
    const status = await requestSafetyRescan(await requireAdminCtx(PAGE));
    revalidatePath(PAGE);
    return `Rescan queued: ${status.total - status.current} of ${status.total} skills are scanned with older rules; reload to follow its progress.`;
  });
}
