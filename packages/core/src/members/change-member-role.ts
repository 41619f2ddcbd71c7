import { changeMemberRoleInput, type ChangeMemberRoleInput, type Role } from '@everyskill/contracts';
import { eq, memberships, withTenant } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import type { Ctx } from '../context';
import { parseInput } from '../parse-input';
import { assertNotLastActiveAdmin, lockMemberForChange } from './member-guards';
import { lockTenant } from '../tenants/lock-tenant';
import { requireAdmin } from './require-admin';

/** Gives a member another role (admin, reviewer, member); never leaves the tenant without an active admin. */
export async function changeMemberRole(ctx: Ctx, input: ChangeMemberRoleInput): Promise<{ changed: boolean; role: Role }> {
  const { userId, role } = parseInput(changeMemberRoleInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    // The tenant lock first: an admin demoted a moment ago (by a change this waits for) is no admin here.
    await lockTenant(tx, ctx.tenantId);
    await requireAdmin(tx, ctx, 'change roles');
    const member = await lockMemberForChange(tx, ctx.tenantId, userId);
    const from = member.membership.role;
    if (from === role) return { changed: false, role };
    if (role !== 'admin') assertNotLastActiveAdmin(member, `make them ${role === 'reviewer' ? 'a reviewer' : 'a member'}`);
    await tx
      .update(memberships)
      .set({ role, updatedAt: new Date() })
      .where(eq(memberships.userId, userId));
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      details: { email: member.email, from, to: role },
      requestId: ctx.requestId,
    });
    return { changed: true, role };
  });
}
