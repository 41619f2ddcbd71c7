'use server';

import { revalidatePath } from 'next/cache';
import { requestReembedAll } from '@everyskill/core/search/request-reembed-all';
import { toActionState, type ActionState } from '@/server/action-state';
import { requireAdminCtx } from '@/server/session';

const PAGE = '/admin/search';

export async function reembedAllAction(_state: ActionState): Promise<ActionState> {
  return toActionState(async () => {
    const run = await requestReembedAll(await requireAdminCtx(PAGE));
    revalidatePath(PAGE);
    return `Re-embedding ${run.total} skills with ${run.provider} ${run.model}; reload to follow its progress.`;
  });
}
