import { and, count, eq, memberships, users, type Membership, type Transaction } from '@everyskill/db';
import { conflict, notFound } from '../errors';
import { lockTenant } from '../tenants/lock-tenant';

export interface LockedMember {
  membership: Membership;
  email: string;
  /** Active admins of the tenant, counted after taking the tenant lock. */
  activeAdmins: number;
}

/**
 * Locks the tenant (so concurrent changes to admins take turns), then reads the member and the
 * number of active admins; throws `not_found` for a user who is not a member of this tenant.
 */
export async function lockMemberForChange(tx: Transaction, tenantId: string, userId: string): Promise<LockedMember> {
  await lockTenant(tx, tenantId);
  const [row] = await tx
    .select({ membership: memberships, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.userId, userId));
  if (!row) throw notFound('that member of this workspace');
  const [admins] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.role, 'admin'), eq(memberships.status, 'active')));
  return { ...row, activeAdmins: Number(admins?.n ?? 0) };
}

/** Refuses a change that would leave the tenant without an active admin. */
export function assertNotLastActiveAdmin(member: LockedMember, change: string): void {
  const { membership } = member;
  if (membership.role === 'admin' && membership.status === 'active' && member.activeAdmins <= 1) {
    throw conflict(
      `${member.email} is the last active admin of this workspace, so you cannot ${change}; make someone else an admin first`,
    );
  }
}
