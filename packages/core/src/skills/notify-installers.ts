import { sql, type Transaction } from '@everyskill/db';

/**
 * Tells everyone who installed the skill (or, given a version, that version) through the bell, in
 * the transaction of the change; once per person per event (the dedupe key). Active members only.
 */
export async function notifyInstallers(
  tx: Transaction,
  event: {
    tenantId: string;
    skillId: string;
    versionId?: string;
    kind: 'version_withdrawn' | 'skill_deprecated';
    title: string;
    link: string;
    dedupeKey: string;
    /** The person acting is not told about their own change. */
    exceptUserId: string | null;
  },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO notifications (tenant_id, user_id, kind, title, link, dedupe_key)
    SELECT DISTINCT ${event.tenantId}::uuid, e.user_id, ${event.kind}, left(${event.title}, 300), ${event.link}, ${event.dedupeKey}
    FROM skill_usage_events e
    JOIN memberships m ON m.tenant_id = e.tenant_id AND m.user_id = e.user_id AND m.status = 'active'
    WHERE e.skill_id = ${event.skillId}::uuid AND e.kind = 'install' AND e.user_id IS NOT NULL
      ${event.versionId ? sql`AND e.version_id = ${event.versionId}::uuid` : sql``}
      AND e.user_id IS DISTINCT FROM ${event.exceptUserId}::uuid
    ON CONFLICT (user_id, dedupe_key) DO NOTHING`);
}
