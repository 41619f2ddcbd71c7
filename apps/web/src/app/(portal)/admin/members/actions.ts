'use server';

import { revalidatePath } from 'next/cache';
import { changeMemberRoleInput, memberIdInput } from '@everyskill/contracts';
import { changeMemberRole } from '@everyskill/core/members/change-member-role';
import { deactivateMember } from '@everyskill/core/members/deactivate-member';
import { reactivateMember } from '@everyskill/core/members/reactivate-member';
import { parseInput } from '@everyskill/core/parse-input';
import { toActionState, type ActionState } from '@/server/action-state';
import { requireAdminCtx } from '@/server/session';

export async function changeRoleAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(changeMemberRoleInput, { userId: form.get('userId'), role: form.get('role') });
    const { changed, role } = await changeMemberRole(await requireAdminCtx('/admin/members'), input);
    revalidatePath('/admin/members');
    return changed ? `Role changed to ${role}.` : `Already ${role}.`;
  });
}

/** Deactivates or reactivates one member, as the form's `intent` says. */
export async function setMemberStatusAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(memberIdInput, { userId: form.get('userId') });
    const ctx = await requireAdminCtx('/admin/members');
    if (form.get('intent') === 'deactivate') {
      const { changed } = await deactivateMember(ctx, input);
      revalidatePath('/admin/members');
      return changed ? 'Deactivated; they are signed out at their next request.' : 'Already deactivated.';
    }
    const { changed } = await reactivateMember(ctx, input);
    revalidatePath('/admin/members');
    return changed ? 'Reactivated; they can sign in again.' : 'Already active.';
  });
}
