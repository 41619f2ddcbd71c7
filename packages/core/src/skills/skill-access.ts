import type { ApiKeyScope } from '@everyskill/contracts';
import { and, eq, isNull, memberships, skills, type Skill, type Transaction } from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';
import { forbidden, notFound } from '../errors';

/** Refuses an API key that lacks the scope the operation needs; people and the system pass. */
export function requireScope(ctx: Ctx, scope: ApiKeyScope): void {
  if (ctx.actor.kind === 'api-key' && !ctx.actor.scopes.includes(scope)) {
    throw forbidden(`this API key lacks the '${scope}' scope; create a key with it on your profile page`);
  }
}

/** The acting person's id; refuses the system actor for actions that belong to a person (ratings, feedback). */
export function requirePerson(ctx: Ctx, doing: string): string {
  if (ctx.actor.kind === 'system') throw forbidden(`only a person can ${doing}`);
  return ctx.actor.userId;
}

/**
 * Whether the actor acts with an admin's powers (or is the system); re-checked by requireActiveAdmin
 * where it matters. An admin's API key has them only with the `admin` scope: a leaked read or
 * publish key of an admin reads and changes no more than a member's would.
 */
export function claimsAdmin(ctx: Ctx): boolean {
  if (ctx.actor.kind === 'system') return true;
  if (ctx.actor.kind === 'api-key' && !ctx.actor.scopes.includes('admin')) return false;
  return ctx.actor.role === 'admin';
}

/** Whether the actor may see the skill: private skills only to their author and admins. */
export function canSeeSkill(ctx: Ctx, skill: Pick<Skill, 'visibility' | 'authorUserId'>): boolean {
  if (skill.visibility !== 'private') return true;
  return claimsAdmin(ctx) || (skill.authorUserId !== null && skill.authorUserId === actorUserId(ctx.actor));
}

export function isAuthor(ctx: Ctx, skill: Pick<Skill, 'authorUserId'>): boolean {
  const me = actorUserId(ctx.actor);
  return me !== null && skill.authorUserId === me;
}

/**
 * The live (not deleted) skill with this slug that the actor may see, locked FOR UPDATE when asked.
 * Invisible skills are reported as not found, so their existence does not leak.
 */
export async function loadVisibleSkill(
  tx: Transaction,
  ctx: Ctx,
  slug: string,
  options: { forUpdate?: boolean } = {},
): Promise<Skill> {
  const query = tx
    .select()
    .from(skills)
    .where(and(eq(skills.slug, slug), isNull(skills.deletedAt)));
  const [skill] = options.forUpdate ? await query.for('update') : await query;
  if (!skill || !canSeeSkill(ctx, skill)) throw notFound(`skill '${slug}'`);
  return skill;
}

/**
 * Refuses unless the actor wrote the skill or is an admin — an admin re-read from memberships in
 * this transaction, so a role removed a moment ago no longer counts.
 */
export async function requireAuthorOrAdmin(tx: Transaction, ctx: Ctx, skill: Skill, doing: string): Promise<void> {
  if (ctx.actor.kind === 'system' || isAuthor(ctx, skill)) return;
  if (!claimsAdmin(ctx)) throw forbidden(`only the author of '${skill.slug}' or an admin can ${doing}`);
  const [me] = await tx
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(eq(memberships.userId, ctx.actor.userId));
  if (!me || me.status !== 'active' || me.role !== 'admin') {
    throw forbidden(`only the author of '${skill.slug}' or an admin can ${doing}`);
  }
}
