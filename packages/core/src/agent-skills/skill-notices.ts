import { rowsOf, sql, withTenant } from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';

/**
 * What an agent reading a skill should be told (MCP `get_skill`): that it is deprecated (and what
 * replaces it), and every withdrawn version of it that the acting person installed, with the reason.
 * Read after the skill itself, which already checked that the actor may see it.
 */
export async function skillNoticesFor(ctx: Ctx, slug: string): Promise<string[]> {
  const userId = actorUserId(ctx.actor);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const rows = rowsOf<{ kind: string; text: string }>(
      await tx.execute(sql`
        SELECT 'deprecated' AS kind,
               s.name || ' is deprecated: ' || coalesce(s.deprecation_message, 'no reason given')
                 || coalesce('; use ' || s.deprecation_replacement || ' instead', '') AS text
        FROM skills s
        WHERE s.slug = ${slug} AND s.deleted_at IS NULL AND s.status = 'deprecated'
        UNION ALL
        SELECT DISTINCT 'withdrawn', s.slug || '@' || v.version || ', which you installed, was withdrawn: ' || w.reason
        FROM skill_version_withdrawals w
        JOIN skill_versions v ON v.id = w.version_id
        JOIN skills s ON s.id = w.skill_id
        WHERE s.slug = ${slug} AND s.deleted_at IS NULL AND ${userId}::uuid IS NOT NULL
          AND EXISTS (SELECT 1 FROM skill_usage_events e WHERE e.version_id = v.id AND e.kind = 'install' AND e.user_id = ${userId}::uuid)`),
    );
    return rows.map((r) => r.text);
  });
}
