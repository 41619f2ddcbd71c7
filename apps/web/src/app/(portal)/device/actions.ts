'use server';

import { redirect, unstable_rethrow } from 'next/navigation';
import { randomUUID } from 'node:crypto';
import { isAppError } from '@everyskill/core';
import { decideDeviceAuthorization } from '@everyskill/core/cli-devices/decide-device-authorization';
import { logger } from '@/server/logger';
import { memberCtx, requireMember } from '@/server/session';

/** Approves or denies the everyskill command's sign-in named by the form's code; the page then says which. */
export async function decideDeviceAction(form: FormData): Promise<void> {
  // A code is 9 characters (XXXX-XXXX); anything longer is cut so the page it returns to stays a short URL.
  const userCode = String(form.get('userCode') ?? '').slice(0, 20);
  const ctx = await memberCtx(await requireMember(`/device?code=${encodeURIComponent(userCode)}`));
  let outcome: string;
  try {
    const decided = await decideDeviceAuthorization(ctx, { userCode, approve: form.get('decision') === 'approve' });
    outcome = `done=${decided.status}&client=${encodeURIComponent(decided.clientName)}`;
  } catch (error) {
    unstable_rethrow(error);
    let message = 'Something went wrong on our side; please try again.';
    if (isAppError(error)) message = error.message;
    else logger.error('device decision failed', { requestId: randomUUID(), error: (error as Error).message });
    outcome = `code=${encodeURIComponent(userCode)}&error=${encodeURIComponent(message)}`;
  }
  redirect(`/device?${outcome}`);
}
