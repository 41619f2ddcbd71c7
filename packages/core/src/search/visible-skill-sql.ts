import { sql } from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';

/** A drizzle SQL fragment. */
export type SQL = ReturnType<typeof sql>;

/**
 * The skills (alias `s`) the actor may find: the tenant's live skills; private ones only for
 * their author, as in the skill lists. Row-level security enforces the tenant regardless.
 */
export function visibleSkillSql(ctx: Ctx): SQL {
  const me = actorUserId(ctx.actor);
  const parts: SQL[] = [sql`s.tenant_id = ${ctx.tenantId}`, sql`s.deleted_at IS NULL`];
  if (me) parts.push(sql`(s.visibility <> 'private' OR s.author_user_id = ${me})`);
  else if (ctx.actor.kind !== 'system') parts.push(sql`s.visibility <> 'private'`);
  return sql.join(parts, sql` AND `);
}
