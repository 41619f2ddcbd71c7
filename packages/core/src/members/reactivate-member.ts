import { memberIdInput, type MemberIdInput } from '@everyskill/contracts';
import { eq, memberships, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { lockMemberForChange } from './member-guards';
import { lockTenant } from '../tenants/lock-tenant';
import { requireAdmin } from './require-admin';

/** Reactivates a deactivated member with the role they had; they can sign in again. */
export async function reactivateMember(ctx: Ctx, input: MemberIdInput): Promise<{ changed: boolean }> {
  const { userId } = parseInput(memberIdInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    // The tenant lock first: an admin demoted a moment ago (by a change this waits for) is no admin here.
    await lockTenant(tx, ctx.tenantId);
    await requireAdmin(tx, ctx, 'reactivate members');
    const member = await lockMemberForChange(tx, ctx.tenantId, userId);
    if (member.membership.status === 'active') return { changed: false };
    await tx
      .update(memberships)
      .set({ status: 'active', updatedAt: new Date() })
      .where(eq(memberships.userId, userId));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'member.reactivated',
      targetType: 'user',
      targetId: userId,
      details: { email: member.email, role: member.membership.role },
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}
