'use server';

import { unsubscribeByToken } from '@everyskill/core/digests/unsubscribe-by-token';
import { getDatabase } from '@everyskill/db';
import { toActionState, type ActionState } from '@/server/action-state';

export async function unsubscribeAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const target = await unsubscribeByToken((await getDatabase()).db, { token: String(form.get('token') ?? '') });
    return `You are unsubscribed: ${target.email} gets no more digest emails from ${target.tenantName}. You can turn them on again in Settings › Notifications.`;
  });
}
