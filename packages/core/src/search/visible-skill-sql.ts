import { sql } from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';

/** A drizzle SQL fragment. */
export type SQL = ReturnType<typeof sql>;

/**
 * The skills (alias `s`) the actor may find: the live skills (row-level security keeps them to the
 * tenant); private ones only for their author, as in the skill lists.
 */
export function visibleSkillSql(ctx: Ctx): SQL {
  const me = actorUserId(ctx.actor);
  const parts: SQL[] = [sql`s.deleted_at IS NULL`];
  if (me) parts.push(sql`(s.visibility <> 'private' OR s.author_user_id = ${me})`);
  else if (ctx.actor.kind !== 'system') parts.push(sql`s.visibility <> 'private'`);
  return sql.join(parts, sql` AND `);
}
