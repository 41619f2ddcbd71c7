import type { EventSource } from '@everyskill/contracts';
import { and, eq, rowsOf, skills, skillVersions, sql, type Skill, type Transaction } from '@everyskill/db';
import { actorUserId, type Ctx } from '../context';
import { notFound } from '../errors';

export interface UsageEventInput {
  kind: 'install' | 'use';
  source: EventSource;
  version?: string;
  idempotencyKey?: string;
}

/**
 * Appends an install or use event and bumps the skill's counter in the caller's transaction.
 * A repeated idempotency key stores nothing and counts nothing; returns whether it was new.
 */
export async function recordUsageEvent(tx: Transaction, ctx: Ctx, skill: Skill, event: UsageEventInput): Promise<boolean> {
  let versionId = skill.latestVersionId;
  if (event.version) {
    const [found] = await tx
      .select({ id: skillVersions.id })
      .from(skillVersions)
      .where(and(eq(skillVersions.skillId, skill.id), eq(skillVersions.version, event.version)));
    if (!found) throw notFound(`version ${event.version} of '${skill.slug}'`);
    versionId = found.id;
  }
  const apiKeyId = ctx.actor.kind === 'api-key' ? ctx.actor.keyId : null;
  const inserted = rowsOf<{ id: number }>(
    await tx.execute(sql`
      INSERT INTO skill_usage_events (tenant_id, skill_id, version_id, user_id, api_key_id, kind, source, idempotency_key)
      VALUES (${ctx.tenantId}, ${skill.id}, ${versionId}, ${actorUserId(ctx.actor)}, ${apiKeyId}, ${event.kind}, ${event.source},
              ${event.idempotencyKey ?? null})
      ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id`),
  );
  if (inserted.length === 0) return false;
  await tx
    .update(skills)
    .set(
      event.kind === 'install'
        ? { installsCount: sql`${skills.installsCount} + 1` }
        : { usesCount: sql`${skills.usesCount} + 1` },
    )
    .where(eq(skills.id, skill.id));
  return true;
}
