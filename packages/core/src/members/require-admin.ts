import { eq, memberships, type Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import { forbidden } from '../errors';

/**
 * Throws `forbidden` unless the actor is the system (admin CLI) or, re-read inside this
 * transaction, an active admin of ctx's tenant — so a role removed a moment ago no longer counts.
 */
export async function requireAdmin(tx: Transaction, ctx: Ctx, doing: string): Promise<void> {
  if (ctx.actor.kind === 'system') return;
  const rows = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(eq(memberships.userId, ctx.actor.userId));
  const me = rows[0];
  if (!me || me.status !== 'active' || me.role !== 'admin') {
    throw forbidden(`only an admin of this workspace can ${doing}`);
  }
}
