import { and, eq, memberships, type Skill, type Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import { isAuthor } from '../skills/skill-access';

/** Whether the actor may see hidden AI reviews of the skill and hide or re-run them: its author, an admin or a reviewer. */
export async function canManageAiReviews(tx: Transaction, ctx: Ctx, skill: Pick<Skill, 'authorUserId'>): Promise<boolean> {
  if (ctx.actor.kind === 'system' || isAuthor(ctx, skill)) return true;
  const [me] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, ctx.actor.userId)));
  return me?.status === 'active' && (me.role === 'admin' || me.role === 'reviewer');
}
