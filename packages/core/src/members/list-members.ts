import type { MemberStatus, Role } from '@everyskill/contracts';
import { and, asc, eq, memberships, users, withTenant } from '@everyskill/db';
import type { Ctx } from '../context';
import { requireAdmin } from './require-admin';

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  status: MemberStatus;
  lastSignInAt: Date | null;
  joinedAt: Date;
}

/** The tenant's people with their role and status, by email; admins only. */
export async function listMembers(ctx: Ctx): Promise<MemberView[]> {
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    await requireAdmin(tx, ctx, 'list the members');
    return tx
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        role: memberships.role,
        status: memberships.status,
        lastSignInAt: users.lastSignInAt,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, and(eq(users.id, memberships.userId), eq(users.tenantId, memberships.tenantId)))
      .orderBy(asc(users.email));
  });
}
