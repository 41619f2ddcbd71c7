import { withdrawVersionInput, type WithdrawVersionInput } from '@everyskill/contracts';
import { and, desc, eq, isNull, skills, skillVersions, skillVersionWithdrawals, withTenant, type Transaction } from '@everyskill/db';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, type Ctx } from '../context';
import { conflict } from '../errors';
import { parseInput } from '../parse-input';
import { loadVersion } from './load-version';
import { notifyInstallers } from './notify-installers';
import { loadVisibleSkill, requireAuthorOrAdmin, requireScope } from './skill-access';

export interface WithdrawnVersion {
  slug: string;
  version: string;
  reason: string;
  withdrawnAt: Date;
  /** The skill's latest version after the withdrawal (null when every version is withdrawn). */
  latestVersion: string | null;
}

/**
 * Withdraws a published version (its author or an admin, with a reason; audited). The version
 * stays listed with its reason but is never the latest and is refused to new installs; everyone
 * who installed it is notified (bell, digest, and the command's next `outdated` or `install`).
 */
export async function withdrawSkillVersion(ctx: Ctx, input: WithdrawVersionInput): Promise<WithdrawnVersion> {
  requireScope(ctx, 'skills:publish');
  const { slug, version, reason } = parseInput(withdrawVersionInput, input);
  return withTenant(ctx.db, ctx.tenantId, async (tx) => {
    const skill = await loadVisibleSkill(tx, ctx, slug, { forUpdate: true });
    await requireAuthorOrAdmin(tx, ctx, skill, 'withdraw its versions');
    const row = await loadVersion(tx, skill, version);
    const [existing] = await tx.select().from(skillVersionWithdrawals).where(eq(skillVersionWithdrawals.versionId, row.id));
    if (existing) throw conflict(`${slug}@${version} was already withdrawn: ${existing.reason}`);
    const now = new Date();
    await tx.insert(skillVersionWithdrawals).values({
      versionId: row.id,
      tenantId: ctx.tenantId,
      skillId: skill.id,
      reason,
      withdrawnBy: actorUserId(ctx.actor),
      createdAt: now,
    });
    let latestVersion: string | null = null;
    if (skill.latestVersionId === row.id) {
      const newest = await newestUsableVersion(tx, skill.id);
      // With every version withdrawn the pointer stays (a skill keeps a version to show); resolve reports none.
      if (newest) await tx.update(skills).set({ latestVersionId: newest.id, updatedAt: now }).where(eq(skills.id, skill.id));
      latestVersion = newest?.version ?? null;
    } else {
      const [latest] = skill.latestVersionId
        ? await tx.select({ version: skillVersions.version }).from(skillVersions).where(eq(skillVersions.id, skill.latestVersionId))
        : [];
      latestVersion = latest?.version ?? null;
    }
    await recordAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'skill.version_withdrawn',
      targetType: 'skill_version',
      targetId: row.id,
      details: { slug, version, reason, latestVersion },
      requestId: ctx.requestId,
    });
    await notifyInstallers(tx, {
      tenantId: ctx.tenantId,
      skillId: skill.id,
      versionId: row.id,
      kind: 'version_withdrawn',
      title: `${skill.name} ${version}, which you installed, was withdrawn: ${reason}`,
      link: `/skills/${slug}`,
      dedupeKey: `withdrawn:${row.id}`,
      exceptUserId: actorUserId(ctx.actor),
    });
    return { slug, version, reason, withdrawnAt: now, latestVersion };
  });
}

/** The newest version of a skill that is not withdrawn. */
async function newestUsableVersion(tx: Transaction, skillId: string) {
  const [row] = await tx
    .select({ id: skillVersions.id, version: skillVersions.version })
    .from(skillVersions)
    .leftJoin(skillVersionWithdrawals, eq(skillVersionWithdrawals.versionId, skillVersions.id))
    .where(and(eq(skillVersions.skillId, skillId), isNull(skillVersionWithdrawals.versionId)))
    .orderBy(desc(skillVersions.createdAt))
    .limit(1);
  return row;
}
