import { eq, memberships, type Transaction } from '@everyskill/db';
import type { Role } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { forbidden } from '../errors';

/** The actor's active role, re-read in this transaction (null for someone without an active membership). */
export async function activeRole(tx: Transaction, ctx: Ctx): Promise<Role | 'system' | null> {
  if (ctx.actor.kind === 'system') return 'system';
  const [me] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(eq(memberships.userId, ctx.actor.userId));
  return me?.status === 'active' ? me.role : null;
}

/** Refuses unless the actor is an active admin or reviewer. */
export async function requireReviewer(tx: Transaction, ctx: Ctx, doing: string): Promise<Role | 'system'> {
  const role = await activeRole(tx, ctx);
  if (role !== 'admin' && role !== 'reviewer' && role !== 'system') {
    throw forbidden(`only an admin or a reviewer of this workspace can ${doing}`);
  }
  return role;
}
