import { eq, memberships, type Skill, type Transaction } from '@everyskill/db';
import type { Role } from '@everyskill/contracts';
import type { Ctx } from '../context';
import { isAuthor } from '../skills/skill-access';

async function activeRole(tx: Transaction, ctx: Ctx): Promise<Role | null> {
  if (ctx.actor.kind === 'system') return null;
  const [me] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(eq(memberships.userId, ctx.actor.userId));
  return me?.status === 'active' ? me.role : null;
}

/** Whether the actor may see hidden AI reviews of the skill and re-run them: its author, an admin or a reviewer. */
export async function canManageAiReviews(tx: Transaction, ctx: Ctx, skill: Pick<Skill, 'authorUserId'>): Promise<boolean> {
  if (ctx.actor.kind === 'system' || isAuthor(ctx, skill)) return true;
  const role = await activeRole(tx, ctx);
  return role === 'admin' || role === 'reviewer';
}

/** Whether the actor may hide or show the skill's AI reviews: its author or an admin (a reviewer may not). */
export async function canHideAiReviews(tx: Transaction, ctx: Ctx, skill: Pick<Skill, 'authorUserId'>): Promise<boolean> {
  if (ctx.actor.kind === 'system' || isAuthor(ctx, skill)) return true;
  return (await activeRole(tx, ctx)) === 'admin';
}
