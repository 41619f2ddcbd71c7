'use server';

import { revalidatePath } from 'next/cache';
import { markNotificationsRead } from '@everyskill/core/notifications/notifications';
import { toActionState, type ActionState } from '@/server/action-state';
import { memberCtx, requireMember } from '@/server/session';

export async function markAllReadAction(_state: ActionState, _form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const changed = await markNotificationsRead(await memberCtx(await requireMember('/notifications')));
    revalidatePath('/', 'layout');
    return changed === 1 ? '1 notification marked read.' : `${changed} notifications marked read.`;
  });
}
