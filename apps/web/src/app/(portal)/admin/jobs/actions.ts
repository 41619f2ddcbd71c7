'use server';

import { revalidatePath } from 'next/cache';
import { retryTenantJob } from '@everyskill/core/jobs/tenant-jobs';
import { toActionState, type ActionState } from '@/server/action-state';
import { requireAdminCtx } from '@/server/session';

const PAGE = '/admin/jobs';

export async function retryJobAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    await retryTenantJob(await requireAdminCtx(PAGE), { jobId: form.get('jobId') as string });
    revalidatePath(PAGE);
    return 'Queued for another attempt.';
  });
}
