'use server';

import { revalidatePath } from 'next/cache';
import { setDigestFrequency } from '@everyskill/core/notifications/notification-settings';
import { toActionState, type ActionState } from '@/server/action-state';
import { memberCtx, requireMember } from '@/server/session';

const PAGE = '/settings/notifications';
const saved = { off: 'Digest emails are off.', daily: 'You will get a daily digest.', weekly: 'You will get a weekly digest.' } as const;

export async function setDigestFrequencyAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const result = await setDigestFrequency(await memberCtx(await requireMember(PAGE)), { digest: form.get('digest') as 'off' });
    revalidatePath(PAGE);
    return saved[result.digest];
  });
}
