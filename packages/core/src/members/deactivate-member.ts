import { memberIdInput, type MemberIdInput } from '@everyskill/contracts';
import { eq, memberships, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { conflict } from '../errors';
import { parseInput } from '../parse-input';
import { assertNotLastActiveAdmin, lockMemberForChange } from './member-guards';
import { lockTenant } from '../tenants/lock-tenant';
import { requireAdmin } from './require-admin';

/**
 * Deactivates a member: their next request signs them out and they cannot sign in again until
 * reactivated. Refused for yourself and for the last active admin.
 */
export async function deactivateMember(ctx: Ctx, input: MemberIdInput): Promise<{ changed: boolean }> {
  const { userId } = parseInput(memberIdInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    // The tenant lock first: an admin demoted a moment ago (by a change this waits for) is no admin here.
    await lockTenant(tx, ctx.tenantId);
    await requireAdmin(tx, ctx, 'deactivate members');
    if (ctx.actor.kind !== 'system' && ctx.actor.userId === userId) {
      throw conflict('you cannot deactivate your own account; ask another admin to do it');
    }
    const member = await lockMemberForChange(tx, ctx.tenantId, userId);
    if (member.membership.status === 'deactivated') return { changed: false };
    assertNotLastActiveAdmin(member, 'deactivate them');
    await tx
      .update(memberships)
      .set({ status: 'deactivated', updatedAt: new Date() })
      .where(eq(memberships.userId, userId));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'member.deactivated',
      targetType: 'user',
      targetId: userId,
      details: { email: member.email, role: member.membership.role },
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}
